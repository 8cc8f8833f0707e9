import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { syntheticPersonnummer } from './personnummer';

let people = 5000;

/** Registers a participant (household of one unless told) and opens a placement request for them, as their caseworker. */
export async function openRequest(
  gatewayUrl: string,
  municipality: string,
  options: {
    children?: number;
    urgency?: string;
    earliestStart?: string;
    days?: number;
    /** Register the participant only. */
    skipRequest?: boolean;
    /** Fields of the participant other than the defaults (a name to find them by, an intake date…). */
    participant?: Record<string, unknown>;
    /** Fields of the request other than the defaults (its kinds…). */
    request?: Record<string, unknown>;
    /** The caseworker's headers, when not the test issuer's caseworker of `municipality`. */
    caseworker?: Record<string, string>;
  } = {},
): Promise<{ participantId: string; requestId: string; caseReference: string }> {
  const caseworker = options.caseworker ?? (await bearer(Role.CASEWORKER, municipality));
  const registered = await postGraphQL(
    gatewayUrl,
    `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
    {
      input: {
        firstName: 'Placering',
        lastName: 'Testsson',
        ...syntheticPersonnummer(++people, 1992),
        gender: 'MALE',
        householdChildren: options.children ?? 0,
        referralSource: 'POLICE',
        riskLevel: 'HIGH',
        excludedMunicipalities: ['0180'],
        intakeDate: '2026-11-01',
        responsibleCaseworker: 'cw',
        ...options.participant,
      },
    },
    caseworker,
  );
  if (registered.errors) throw new Error(`registerParticipant: ${JSON.stringify(registered.errors)}`);
  const participantId = registered.data!.registerParticipant.id as string;
  if (options.skipRequest) return { participantId, requestId: '', caseReference: '' };
  const created = await postGraphQL(
    gatewayUrl,
    `mutation($id: ID!, $input: CreatePlacementRequestInput!) { createPlacementRequest(participantId: $id, input: $input) { id caseReference status } }`,
    {
      id: participantId,
      input: {
        urgency: options.urgency ?? 'IMMEDIATE',
        earliestStart: options.earliestStart ?? '2027-02-01',
        expectedDurationDays: options.days ?? 30,
        allowedKinds: ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'],
        ...options.request,
      },
    },
    caseworker,
  );
  if (created.errors) throw new Error(`createPlacementRequest: ${JSON.stringify(created.errors)}`);
  return { participantId, requestId: created.data!.createPlacementRequest.id, caseReference: created.data!.createPlacementRequest.caseReference };
}

/** Registers a fresh unit with `places` places, as the municipality's housing manager: nothing else is booked in it. */
export async function freshUnit(gatewayUrl: string, municipality: string, places = 1, children = true): Promise<string> {
  const result = await postGraphQL(
    gatewayUrl,
    `mutation($input: RegisterHousingUnitInput!) { registerHousingUnit(input: $input) { id } }`,
    {
      input: {
        kind: 'PROTECTED',
        places,
        district: 'Testdistrikt',
        streetAddress: `Provvägen ${places}${Math.floor(Math.random() * 1e6)}`,
        suitableForChildren: children,
        wheelchairAccessible: true,
      },
    },
    await bearer(Role.HOUSING_MANAGER, municipality),
  );
  if (result.errors) throw new Error(`registerHousingUnit: ${JSON.stringify(result.errors)}`);
  return result.data!.registerHousingUnit.id;
}

export const OFFER = `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { id status bookingId: booking { id } } }`;
