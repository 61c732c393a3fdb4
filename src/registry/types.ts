/**
 * Consul HTTP API v1 wire shapes, with Consul's own PascalCase field names, so values can be
 * serialized to clients unchanged. Only the fields Meridian implements are listed; optional
 * fields are omitted from JSON when absent, as Consul's `omitempty` does.
 */

/** Health of a check, ordered from best to worst. */
export type HealthStatus = "passing" | "warning" | "critical" | "maintenance";

/** A node of the catalog. */
export interface CatalogNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
}

/** A service instance as it lives on a node (`/v1/agent/services`, `Service` of health results). */
export interface NodeService {
  Kind?: string;
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  TaggedAddresses?: Record<string, { Address: string; Port: number }>;
  Meta: Record<string, string>;
  Port: number;
  Weights: { Passing: number; Warning: number };
  EnableTagOverride: boolean;
  Datacenter?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** A health check as the catalog stores it. */
export interface HealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: HealthStatus;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  Type: string;
  Interval: string;
  Timeout: string;
  ExposedPort: number;
  Definition: Record<string, unknown>;
  CreateIndex: number;
  ModifyIndex: number;
}

/** One row of `/v1/catalog/service/:name`: node fields flattened with `Service*` fields. */
export interface ServiceNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  NodeMeta: Record<string, string>;
  ServiceKind: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  ServiceAddress: string;
  ServiceTaggedAddresses?: Record<string, { Address: string; Port: number }>;
  ServiceWeights: { Passing: number; Warning: number };
  ServiceMeta: Record<string, string>;
  ServicePort: number;
  ServiceEnableTagOverride: boolean;
  CreateIndex: number;
  ModifyIndex: number;
}

/** One row of `/v1/health/service/:name`. */
export interface CheckServiceNode {
  Node: CatalogNode;
  Service: NodeService;
  Checks: HealthCheck[];
}

/** The service part of a catalog registration (`PUT /v1/catalog/register`). */
export interface RegisterService {
  ID?: string;
  Service: string;
  Kind?: string;
  Tags?: string[];
  Address?: string;
  TaggedAddresses?: Record<string, { Address: string; Port: number }>;
  Meta?: Record<string, string>;
  Port?: number;
  Weights?: { Passing: number; Warning: number };
  EnableTagOverride?: boolean;
}

/** The check part of a catalog registration. */
export interface RegisterCheck {
  Node?: string;
  CheckID?: string;
  Name?: string;
  Status?: HealthStatus;
  Notes?: string;
  Output?: string;
  ServiceID?: string;
  Type?: string;
  Interval?: string;
  Timeout?: string;
  Definition?: Record<string, unknown>;
}

/** Body of `PUT /v1/catalog/register`; also what agents send in their anti-entropy sync. */
export interface RegisterRequest {
  ID?: string;
  Node: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string>;
  NodeMeta?: Record<string, string>;
  Service?: RegisterService;
  Check?: RegisterCheck;
  Checks?: RegisterCheck[];
  SkipNodeUpdate?: boolean;
}

/** Body of `PUT /v1/catalog/deregister`: the node, or one service or check of it. */
export interface DeregisterRequest {
  Node: string;
  Datacenter?: string;
  ServiceID?: string;
  CheckID?: string;
}
