/**
 * The filterable fields of Consul's listing endpoints, as the "Filtering" tables of Consul's API
 * documentation list them (plus `Type` on checks and `Datacenter` on agent services, which the
 * Go structs Consul filters also expose). Field names are the JSON names of the responses.
 */
import { BOOL, INT, STRING, listOf, mapOf, structOf } from "./schema.js";
import type { FilterSchema } from "./schema.js";

const STRING_MAP = mapOf(STRING);
const WEIGHTS = structOf({ Passing: INT, Warning: INT });
const MESH_GATEWAY = structOf({ Mode: STRING });
const SERVICE_ADDRESS = structOf({ Address: STRING, Port: INT });
const CONNECT = structOf({ Native: BOOL });
const UPSTREAM = structOf({
  Datacenter: STRING,
  DestinationName: STRING,
  DestinationNamespace: STRING,
  DestinationType: STRING,
  LocalBindAddress: STRING,
  LocalBindPort: INT,
  MeshGateway: MESH_GATEWAY,
});
const PROXY = structOf({
  DestinationServiceID: STRING,
  DestinationServiceName: STRING,
  LocalServiceAddress: STRING,
  LocalServicePort: INT,
  Mode: STRING,
  TransparentProxy: structOf({ OutboundListenerPort: INT }),
  MeshGateway: MESH_GATEWAY,
  Upstreams: listOf(UPSTREAM),
});

/** `/v1/catalog/nodes`: each node (also the `Node` of a health service entry). */
export const CATALOG_NODE_FILTER_SCHEMA: FilterSchema = {
  ID: STRING,
  Node: STRING,
  Address: STRING,
  Datacenter: STRING,
  TaggedAddresses: STRING_MAP,
  Meta: STRING_MAP,
};

/** `/v1/catalog/node/:node` (its `Services` values) and the `Service` of a health service entry. */
export const NODE_SERVICE_FILTER_SCHEMA: FilterSchema = {
  Kind: STRING,
  ID: STRING,
  Service: STRING,
  Tags: listOf(STRING),
  Address: STRING,
  TaggedAddresses: mapOf(SERVICE_ADDRESS),
  Meta: STRING_MAP,
  Port: INT,
  Weights: WEIGHTS,
  EnableTagOverride: BOOL,
  Proxy: PROXY,
  Connect: CONNECT,
};

/** `/v1/catalog/service/:service` and `/v1/catalog/connect/:service`: each service instance. */
export const CATALOG_SERVICE_FILTER_SCHEMA: FilterSchema = {
  ID: STRING,
  Node: STRING,
  Address: STRING,
  Datacenter: STRING,
  TaggedAddresses: STRING_MAP,
  NodeMeta: STRING_MAP,
  ServiceKind: STRING,
  ServiceID: STRING,
  ServiceName: STRING,
  ServiceTags: listOf(STRING),
  ServiceAddress: STRING,
  ServiceTaggedAddresses: mapOf(SERVICE_ADDRESS),
  ServiceWeights: WEIGHTS,
  ServiceMeta: STRING_MAP,
  ServicePort: INT,
  ServiceEnableTagOverride: BOOL,
  ServiceProxy: PROXY,
  ServiceConnect: CONNECT,
};

/** `/v1/health/node/:node`, `/v1/health/checks/:service`, `/v1/health/state/:state`: each check. */
export const HEALTH_CHECK_FILTER_SCHEMA: FilterSchema = {
  Node: STRING,
  CheckID: STRING,
  Name: STRING,
  Status: STRING,
  Notes: STRING,
  Output: STRING,
  ServiceID: STRING,
  ServiceName: STRING,
  ServiceTags: listOf(STRING),
  Type: STRING,
};

/** `/v1/health/service/:service` and `/v1/health/connect/:service`: each node/service/checks entry. */
export const HEALTH_SERVICE_FILTER_SCHEMA: FilterSchema = {
  Node: structOf(CATALOG_NODE_FILTER_SCHEMA),
  Service: structOf(NODE_SERVICE_FILTER_SCHEMA),
  Checks: listOf(structOf(HEALTH_CHECK_FILTER_SCHEMA)),
};

/** `/v1/agent/services`: each value of the returned map. */
export const AGENT_SERVICE_FILTER_SCHEMA: FilterSchema = { ...NODE_SERVICE_FILTER_SCHEMA, Datacenter: STRING };

/** `/v1/agent/checks`: each value of the returned map. */
export const AGENT_CHECK_FILTER_SCHEMA: FilterSchema = HEALTH_CHECK_FILTER_SCHEMA;
