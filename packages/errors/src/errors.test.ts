import { GraphQLError } from 'graphql';
import * as errors from './index';
import {
  AuthenticationError,
  ClientError,
  CrossSiteRequestError,
  ForbiddenError,
  RegionUnavailableError,
  StatisticsUnavailableError,
  CoverageLockedError,
  ForbiddenClientCertificateError,
  httpRefusal,
  InvalidTransitionError,
  MunicipalityUnavailableError,
  NoFreePlacesError,
  PUBLIC_ERROR_CODES,
  SessionRequiredError,
  UnknownDatasetError,
  UnregisteredOperationError,
  ValidationFailedError,
} from './index';

describe('client errors', () => {
  it('makes public exactly the codes clients are told about (docs/configuration.md) and the protocol codes of Apollo Server', () => {
    // Written out by hand: a code that goes missing (masked for every client) or appears must be a decision.
    expect([...PUBLIC_ERROR_CODES].sort()).toEqual(
      [
        'BAD_REQUEST',
        'BAD_USER_INPUT',
        'CROSS_SITE_REQUEST',
        'FORBIDDEN',
        'FORBIDDEN_CLIENT_CERTIFICATE',
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'HOLD_EXPIRED',
        'IDENTITY_PROVIDER_UNAVAILABLE',
        'IDEMPOTENCY_KEY_REUSED',
        'INVALID_TRANSITION',
        'MUNICIPALITIES_DIFFER',
        'MUNICIPALITY_REQUIRED',
        'MUNICIPALITY_UNAVAILABLE',
        'NOT_FOUND',
        'NO_FREE_PLACES',
        'OPERATION_RESOLUTION_FAILURE',
        'PERSISTED_QUERY_NOT_FOUND',
        'PERSISTED_QUERY_NOT_SUPPORTED',
        'REGION_UNAVAILABLE',
        'REGIONAL_SERVICE_UNAVAILABLE',
        'STATISTICS_COVERAGE_LOCKED',
        'STATISTICS_NOT_CONFIGURED',
        'STATISTICS_UNAVAILABLE',
        'STEP_IN_PROGRESS',
        'TRUSTED_DOCUMENT_REQUIRED',
        'UNAUTHENTICATED',
        'UNKNOWN_DATASET',
        'UNKNOWN_MUNICIPALITY',
        'VALIDATION_FAILED',
        'WRONG_MUNICIPALITY',
      ].sort(),
    );
  });

  it('puts the code of every error class the package exports on the allow-list (a new class is public by construction)', () => {
    const classes = Object.values(errors).filter((value) => typeof value === 'function' && value.prototype instanceof ClientError);
    expect(classes.length).toBeGreaterThanOrEqual(20);
    for (const errorClass of classes) expect(PUBLIC_ERROR_CODES).toContain((errorClass as unknown as { code: string }).code);
  });

  it('gives each error its class code in extensions, beside its own details', () => {
    const unavailable = new MunicipalityUnavailableError('0138', 'no answer within 5000 ms', { path: ['region', 2], details: { placementId: 'p-1' } });
    expect(unavailable).toBeInstanceOf(GraphQLError);
    expect(unavailable.extensions).toEqual({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0138', placementId: 'p-1' });
    expect(unavailable.path).toEqual(['region', 2]);
    expect(unavailable.message).toBe('Municipality 0138 is unavailable: no answer within 5000 ms. Data from the other municipalities is still returned.');
    expect(new UnknownDatasetError('x', ['a', 'b']).extensions).toEqual({ code: 'UNKNOWN_DATASET', dataset: 'x' });
    expect(InvalidTransitionError.between('Booking', 'b-1', 'ENDED', 'ACTIVE', ['HELD']).extensions).toEqual({
      code: 'INVALID_TRANSITION',
      from: 'ENDED',
      to: 'ACTIVE',
    });
    expect(new NoFreePlacesError('u-1', 2, 1, { from: '2026-12-01', to: '2026-12-08' }).message).toBe(
      'Housing unit u-1: 2 places asked for, but 1 place is free on every day from 2026-12-01 to 2026-12-08. Nothing was booked.',
    );
    expect(new CoverageLockedError(2026, ['0126', '0127'], new Date('2026-12-05T00:00:00Z')).extensions.lockedUntil).toBe('2026-12-05T00:00:00.000Z');
  });

  it('names every field of bad input under the one code VALIDATION_FAILED', () => {
    const error = new ValidationFailedError([
      { field: 'input.places', message: 'must be at least 1' },
      { field: 'year', message: 'must be a year from 2000 to 2029' },
    ]);
    expect(error.extensions).toEqual({ code: 'VALIDATION_FAILED', fields: error.problems });
    expect(error.message).toBe('Invalid input, nothing was saved. input.places: must be at least 1; year: must be a year from 2000 to 2029');
  });

  describe('as HTTP refusals outside GraphQL', () => {
    it.each([
      ['UNAUTHENTICATED', 401, 'Not signed in, or the session has expired', new SessionRequiredError()],
      ['PERSISTED_QUERY_NOT_FOUND', 400, 'Only the web app’s registered operations are accepted, by id', new UnregisteredOperationError()],
      ['FORBIDDEN_CLIENT_CERTIFICATE', 403, 'The client certificate does not name a service allowed to call this one.', new ForbiddenClientCertificateError()],
      ['CROSS_SITE_REQUEST', 403, 'Only JSON requests from the web app’s own origin are accepted here', new CrossSiteRequestError()],
    ])('%s: HTTP %i (from its class) and a GraphQL body with its message and code alone', (code, status, message, error) => {
      expect(httpRefusal(error)).toEqual({ status, body: { errors: [{ message, extensions: { code } }] } });
    });

    it('tells a caller the gateway did not answer whether a change may have been made (HTTP 503 either way)', () => {
      expect(httpRefusal(new RegionUnavailableError('unreachable', 30_000))).toEqual({
        status: 503,
        body: {
          errors: [
            {
              message: 'The region’s API could not be reached; nothing was sent. Try again in a minute.',
              extensions: { code: 'REGION_UNAVAILABLE', requestMayHaveTakenEffect: false },
            },
          ],
        },
      });
      expect(httpRefusal(new RegionUnavailableError('no-answer', 30_000)).body.errors[0]).toEqual({
        message: 'The region’s API did not answer within 30 s. A change you sent may still have been made: reload and look before you repeat it.',
        extensions: { code: 'REGION_UNAVAILABLE', requestMayHaveTakenEffect: true },
      });
    });

    it.each([
      [403, new ForbiddenError('Statistics are for the ANALYST and COORDINATOR roles.')],
      [404, new UnknownDatasetError('x', ['a'])],
      [401, new AuthenticationError('the token has expired')],
      [503, new StatisticsUnavailableError('The regional statistics are unavailable right now.', [])],
      [503, new MunicipalityUnavailableError('0126', 'no answer within 5000 ms')],
      [400, ValidationFailedError.of('year', 'must be a four-digit year')],
    ])('answers HTTP %i for %p by its code where its class names no status', (status, error) => {
      expect(httpRefusal(error).status).toBe(status);
    });

    it('keeps the other extensions and answers 400 for a class that names no status', () => {
      expect(httpRefusal(ValidationFailedError.of('year', 'must be a year from 2000 to 2029'))).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'Invalid input, nothing was saved. year: must be a year from 2000 to 2029',
              extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'year', message: 'must be a year from 2000 to 2029' }] },
            },
          ],
        },
      });
    });
  });
});
