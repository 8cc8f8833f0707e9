export { createGatewayServer, type GatewayServer, type GatewayServerOptions } from './server';
export { loadGatewayConfig, type GatewayConfig } from './config';
export { ShardRouterDataSource } from './datasources/shard-router-data-source';
