import { registerEnumType } from 'type-graphql';

export enum HousingUnitKind {
  PROTECTED = 'PROTECTED',
  TRAINING_FLAT = 'TRAINING_FLAT',
  EMERGENCY = 'EMERGENCY',
  SUPPORTED = 'SUPPORTED',
}

export enum HousingUnitStatus {
  /** In use: its free places can be booked. */
  AVAILABLE = 'AVAILABLE',
  /** Temporarily closed (repairs, compromised address): no free places. */
  OUT_OF_SERVICE = 'OUT_OF_SERVICE',
  /** No longer part of the programme; kept for history. */
  RETIRED = 'RETIRED',
}

registerEnumType(HousingUnitKind, {
  name: 'HousingUnitKind',
  description: 'PROTECTED: skyddat boende · TRAINING_FLAT: träningslägenhet · EMERGENCY: akutplats · SUPPORTED: stödboende',
});
registerEnumType(HousingUnitStatus, { name: 'HousingUnitStatus' });
