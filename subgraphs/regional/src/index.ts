export { createRegionalServer, type RegionalServerOptions } from './server';
export { buildRegionalSchema } from './schema';
export { openRegionalDatabase, regionalOrmConfig, migrateRegionalDatabase, connectRegionalDatabase } from './database/orm';
export { syncRegistry } from './region/registry-sync';
export { loadRegionalConfig } from './config';
export { regionalPolicy } from './access-policy';
export { parseChannelSettings, type NotificationSettings, type ChannelSettings, type NotificationTiming } from './notifications/notification-config';
export { EVENT_TYPES, type EventType } from './notifications/event-types';
