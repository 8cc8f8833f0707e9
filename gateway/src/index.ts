export { createGatewayServer, type GatewayServer, type GatewayServerOptions } from './server';
export { loadGatewayConfig, type GatewayConfig } from './config';
export { ShardRouterDataSource } from './datasources/shard-router-data-source';
export { loadTrustedDocuments, trustedDocumentsPlugin, DOCUMENT_SENDING_ROLES, type TrustedDocuments } from './trusted-documents';
