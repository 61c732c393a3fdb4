import { aggregatedStatus, type CheckServiceNode } from "../../registry/index.js";
import { formatHostPort } from "../../runtime/index.js";
import type { LabelSet, TargetGroup } from "../types.js";

// The label names of Prometheus's discovery/consul, kept identical so relabel rules carry over.
const P = "__meta_consul_";

/** Replaces every character outside `[a-zA-Z0-9_]` with `_`, as Prometheus's `strutil.SanitizeLabelName`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, "_");
}

/** Whether Prometheus would watch a service with this name and tags (`shouldWatch`). */
export function shouldWatch(name: string, tags: readonly string[], services: readonly string[], wantedTags: readonly string[]): boolean {
  if (services.length > 0 && !services.includes(name)) return false;
  return wantedTags.every((t) => tags.includes(t));
}

// A health row may come from real Consul Enterprise, whose services carry these two fields.
type EnterpriseService = CheckServiceNode["Service"] & { Namespace?: string; Partition?: string };

/**
 * Builds the target group of one service from `/v1/health/service/:name` rows, with exactly the
 * labels Prometheus's Consul discovery sets. Namespace and partition labels appear only when
 * non-empty: Prometheus sets them to "" otherwise, which its label handling treats as absent.
 */
export function serviceGroup(name: string, datacenter: string, nodes: readonly CheckServiceNode[], tagSeparator: string): TargetGroup {
  const targets = nodes.map((n): LabelSet => {
    const svc = n.Service as EnterpriseService;
    // Service address wins: a service may be registered on behalf of another host.
    const host = svc.Address !== "" ? svc.Address : n.Node.Address;
    const tags = svc.Tags ?? [];
    const t: Record<string, string> = {
      __address__: formatHostPort(host, svc.Port),
      [`${P}address`]: n.Node.Address,
      [`${P}node`]: n.Node.Node,
      // Wrapping in separators lets relabel regexes match `,tag,` without caring about position.
      [`${P}tags`]: tagSeparator + tags.join(tagSeparator) + tagSeparator,
      [`${P}service_address`]: svc.Address,
      [`${P}service_port`]: String(svc.Port),
      [`${P}service_id`]: svc.ID,
      [`${P}health`]: aggregatedStatus(n.Checks ?? []),
    };
    if (svc.Namespace) t[`${P}namespace`] = svc.Namespace;
    if (svc.Partition) t[`${P}partition`] = svc.Partition;
    for (const [k, v] of Object.entries(n.Node.Meta ?? {})) t[`${P}metadata_${sanitizeLabelName(k)}`] = v;
    for (const [k, v] of Object.entries(svc.Meta ?? {})) t[`${P}service_metadata_${sanitizeLabelName(k)}`] = v;
    for (const [k, v] of Object.entries(n.Node.TaggedAddresses ?? {})) t[`${P}tagged_address_${sanitizeLabelName(k)}`] = v;
    return t;
  });
  return { source: name, targets, labels: { [`${P}service`]: name, [`${P}dc`]: datacenter } };
}
