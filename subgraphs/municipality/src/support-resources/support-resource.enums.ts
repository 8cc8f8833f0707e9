import { registerEnumType } from 'type-graphql';

export enum SupportResourceKind {
  MENTOR = 'MENTOR',
  PROGRAMME = 'PROGRAMME',
}

registerEnumType(SupportResourceKind, { name: 'SupportResourceKind', description: 'A mentor or a programme (e.g. training, counselling) with slots' });
