import { Role } from '@sodertorn/auth';
import { anywhere, type Policy } from '@sodertorn/service-kit';

const everyone = anywhere(Role.CASEWORKER, Role.HOUSING_MANAGER, Role.COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.SERVICE);

/**
 * Who may read each field of the regional subgraph. The registry of members is
 * reference data every role may see (analysts label their aggregates with it);
 * a field missing here is refused to all.
 */
export const regionalPolicy: Policy = {
  Query: { _service: 'schema', _entities: everyone, region: everyone },
  _Service: { sdl: 'schema' },
  Region: { name: everyone, municipalities: everyone, municipality: everyone },
  Municipality: { code: everyone, name: everyone },
};
