import type { Spec } from "./decode.js";

const weights: Spec = { Passing: "int", Warning: "int" };
const serviceAddress: Spec = { Address: "string", Port: "int" };

/** `Check` of an agent service definition, `PUT /v1/agent/check/register`, and config-dir files. */
export const AGENT_CHECK: Spec = {
  CheckID: "string",
  ID: "string",
  Name: "string",
  ServiceID: "string",
  Notes: "string",
  Status: "string",
  Interval: "duration",
  Timeout: "duration",
  TTL: "duration",
  HTTP: "string",
  Header: "any",
  Method: "string",
  Body: "string",
  DisableRedirects: "bool",
  TCP: "string",
  TCPUseTLS: "bool",
  GRPC: "string",
  GRPCUseTLS: "bool",
  TLSServerName: "string",
  TLSSkipVerify: "bool",
  Args: "strings",
  ScriptArgs: "strings",
  Shell: "string",
  DockerContainerID: "string",
  H2PING: "string",
  UDP: "string",
  AliasNode: "string",
  AliasService: "string",
  SuccessBeforePassing: "int",
  FailuresBeforeWarning: "int",
  FailuresBeforeCritical: "int",
  DeregisterCriticalServiceAfter: "duration",
  OutputMaxSize: "int",
  Namespace: "string",
  Partition: "string",
};

/** Body of `PUT /v1/agent/service/register` (Consul's service definition). */
export const AGENT_SERVICE: Spec = {
  Kind: "string",
  ID: "string",
  Name: "string",
  Tags: "strings",
  Port: "int",
  Address: "string",
  TaggedAddresses: { map: serviceAddress },
  EnableTagOverride: "bool",
  Meta: "stringMap",
  Weights: { object: weights },
  Check: { object: AGENT_CHECK },
  Checks: { list: AGENT_CHECK },
  Proxy: "any",
  Connect: "any",
  SocketPath: "string",
  Namespace: "string",
  Partition: "string",
  Locality: "any",
};

/** A config-dir file: `{"service": {…}}` or `{"services": […]}`, as Consul's agent loads them. */
export const CONFIG_FILE: Spec = {
  Service: { object: AGENT_SERVICE },
  Services: { list: AGENT_SERVICE },
  Check: { object: AGENT_CHECK },
  Checks: { list: AGENT_CHECK },
};

const catalogService: Spec = {
  ID: "string",
  Service: "string",
  Kind: "string",
  Tags: "strings",
  Address: "string",
  TaggedAddresses: { map: serviceAddress },
  Meta: "stringMap",
  Port: "int",
  Weights: { object: weights },
  EnableTagOverride: "bool",
  Proxy: "any",
  Connect: "any",
  Namespace: "string",
  Partition: "string",
  Locality: "any",
};

const catalogCheck: Spec = {
  Node: "string",
  CheckID: "string",
  Name: "string",
  Status: "string",
  Notes: "string",
  Output: "string",
  ServiceID: "string",
  ServiceName: "string",
  ServiceTags: "strings",
  Type: "string",
  Interval: "duration",
  Timeout: "duration",
  ExposedPort: "int",
  Definition: "any",
  Namespace: "string",
  Partition: "string",
  CreateIndex: "int",
  ModifyIndex: "int",
};

/** Body of `PUT /v1/catalog/register`. */
export const CATALOG_REGISTER: Spec = {
  ID: "string",
  Node: "string",
  Address: "string",
  Datacenter: "string",
  TaggedAddresses: "stringMap",
  NodeMeta: "stringMap",
  Service: { object: catalogService },
  Check: { object: catalogCheck },
  Checks: { list: catalogCheck },
  SkipNodeUpdate: "bool",
  Partition: "string",
  Locality: "any",
};

/** Body of `PUT /v1/catalog/deregister`. */
export const CATALOG_DEREGISTER: Spec = {
  Node: "string",
  Datacenter: "string",
  ServiceID: "string",
  CheckID: "string",
  Namespace: "string",
  Partition: "string",
};
