export { createAgentRole, createRegistryRole } from "./roles.js";
export type { AgentRoleOptions, RegistryRole, RegistryRoleOptions, RoleContext } from "./roles.js";
export { ConsulApiError, ConsulClient, watch } from "./client/index.js";
export type { CheckRegistration, ConsulClientOptions, QueryOptions, QueryResult, ServiceRegistration } from "./client/index.js";
export { parseServiceDefinition } from "./agent/index.js";
export { aggregatedStatus } from "./catalog/index.js";
export type { CatalogNode, CheckServiceNode, HealthCheck, HealthStatus, NodeService, ServiceNode } from "./types.js";
