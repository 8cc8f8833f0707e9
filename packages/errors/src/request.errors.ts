import type { GraphQLErrorOptions } from 'graphql';
import { ClientError } from './client-error';

type At = Pick<GraphQLErrorOptions, 'path'>;

/** A problem with one input field: its dotted path (e.g. `input.places`) and what is wrong. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * No valid token: HTTP 401, and nothing is executed. The message says what to do; the reason it
 * carries is generic, so a probe learns nothing about keys.
 */
export class AuthenticationError extends ClientError {
  static override readonly code = 'UNAUTHENTICATED';
  constructor(reason: string) {
    super(`Not authenticated: ${reason}. Send a valid bearer token in the Authorization header.`, { http: { status: 401 } });
  }
}

/**
 * The token's issuer is one this federation trusts, but its keys could never be fetched (the
 * identity provider stopped or not answering since this service started): the token can be
 * checked neither way, so HTTP 503 and not 401 — the caller's token may be perfectly good, and a
 * web app should not sign the person out for it.
 */
export class IdentityProviderUnavailableError extends ClientError {
  static override readonly code = 'IDENTITY_PROVIDER_UNAVAILABLE';
  constructor() {
    super('The keys of the token’s issuer cannot be fetched now, so the token cannot be checked. Try again shortly.', { http: { status: 503 } });
  }
}

/** The caller may not do this; the message says what would be needed, never what exists. */
export class ForbiddenError extends ClientError {
  static override readonly code = 'FORBIDDEN';
  constructor(reason: string) {
    super(reason);
  }
}

/** The thing asked for does not exist in this municipality (or is not visible to the caller). */
export class NotFoundError extends ClientError {
  static override readonly code = 'NOT_FOUND';
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found. Check the id and that it belongs to this municipality.`);
  }
}

/**
 * Input was refused before anything was written: the one code for bad input. Lists every
 * problem, each naming its field.
 */
export class ValidationFailedError extends ClientError {
  static override readonly code = 'VALIDATION_FAILED';
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[]) {
    super(`Invalid input, nothing was saved. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { fields: problems });
    this.problems = problems;
  }

  static of(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}

/** A statistics dataset name that is not one of the region's datasets (HTTP exports answer 404). */
export class UnknownDatasetError extends ClientError {
  static override readonly code = 'UNKNOWN_DATASET';
  constructor(dataset: string, known: readonly string[]) {
    super(`Unknown dataset "${dataset}". The datasets are: ${known.join(', ')}.`, { dataset });
  }
}

/**
 * A request reached the deployment of another municipality than the one it names. The gateway
 * never routes like this, so it means a misconfigured registry or a request sent straight to a
 * shard; either way nothing is read.
 */
export class WrongMunicipalityError extends ClientError {
  static override readonly code = 'WRONG_MUNICIPALITY';
  constructor(requested: string, served: string) {
    super(`This deployment serves municipality ${served}, not ${requested}.`, { municipalityCode: requested });
  }
}

/** A municipality code that is not in the registry. */
export class UnknownMunicipalityError extends ClientError {
  static override readonly code = 'UNKNOWN_MUNICIPALITY';
  constructor(municipalityCode: string, options: At = {}) {
    super(`Unknown municipality code "${municipalityCode}". Use one of the region's four-digit kommunkoder, e.g. 0126.`, { municipalityCode }, options);
  }
}

/** A municipal root field asked for without a municipality: the token names none and no `municipalityCode` was given. */
export class MunicipalityRequiredError extends ClientError {
  static override readonly code = 'MUNICIPALITY_REQUIRED';
  constructor(message: string) {
    super(message);
  }
}

/** One operation named two municipalities for fields that must be answered by one deployment. */
export class MunicipalitiesDifferError extends ClientError {
  static override readonly code = 'MUNICIPALITIES_DIFFER';
  constructor(message: string) {
    super(message);
  }
}

/**
 * One municipality's deployment could not answer. `consequence` says what that means for this
 * request (by default: the rest of the answer stands); `details` are further extensions (e.g. the
 * placement whose step was left pending), never personal data.
 */
export class MunicipalityUnavailableError extends ClientError {
  static override readonly code = 'MUNICIPALITY_UNAVAILABLE';
  constructor(
    readonly municipalityCode: string,
    readonly reason: string,
    more: At & { consequence?: string; details?: Readonly<Record<string, unknown>> } = {},
  ) {
    const { consequence = 'Data from the other municipalities is still returned.', details = {}, ...options } = more;
    super(`Municipality ${municipalityCode} is unavailable: ${reason}. ${consequence}`, { ...details, municipalityCode }, options);
  }
}

/**
 * The region's own service (placements, matching, the capacity overview, statistics) did not
 * answer the gateway. Whether what was sent may have been carried out is said plainly: a refused
 * connection sent nothing, but a request cut or left unanswered may have been, so a change must
 * be looked up (or repeated with its idempotency key) rather than sent anew.
 */
export class RegionalServiceUnavailableError extends ClientError {
  static override readonly code = 'REGIONAL_SERVICE_UNAVAILABLE';
  constructor(what: 'unreachable' | 'no-answer' | 'cut', timeoutMs: number) {
    super(
      what === 'unreachable'
        ? 'The regional service could not be reached; nothing was sent to it. Data from the municipalities is still returned. Try again in a minute.'
        : `The regional service ${what === 'cut' ? 'broke off the connection' : `did not answer within ${Math.round(timeoutMs / 1000)} s`}. A change you sent may still have been made: look before you repeat it, or repeat it with the same idempotency key.`,
      { requestMayHaveTakenEffect: what !== 'unreachable' },
    );
  }
}

/** A document the server refused while parsing it (e.g. over the token limit): HTTP 400. */
export class ParseRefusedError extends ClientError {
  static override readonly code = 'GRAPHQL_PARSE_FAILED';
  constructor(message: string) {
    super(message, { http: { status: 400 } });
  }
}

/** An `operationName` the document does not hold: HTTP 400. */
export class OperationNotFoundError extends ClientError {
  static override readonly code = 'OPERATION_RESOLUTION_FAILURE';
  constructor(message: string) {
    super(message, { http: { status: 400 } });
  }
}

/**
 * The gateway in production: a caller of a browser role sent a document of its own instead of the
 * id of a registered operation (trusted documents). HTTP 400; nothing is executed.
 */
export class TrustedDocumentRequiredError extends ClientError {
  static override readonly code = 'TRUSTED_DOCUMENT_REQUIRED';
  constructor() {
    super('Only registered operations are accepted from this client: send the id of one (extensions.persistedQuery.sha256Hash).', { http: { status: 400 } });
  }
}
