import { z } from "zod";
import { LOG_LEVELS, type Level } from "../runtime/index.js";

/**
 * Schema of `meridian.yml`, the configuration of `meridian up`. Every field is optional: with no
 * file, the embedded defaults run the whole stack on one machine. Later roles add their sections.
 * Unknown fields are rejected with their line.
 */
export const upConfigSchema = z
  .object({
    /** `host:port` of the single listener; overridden by `--listen`. */
    listen: z.string().optional(),
    /** Directory for all durable state; overridden by `--data-dir`. */
    data_dir: z.string().optional(),
    /** Minimum log level; overridden by `--log-level`. Applied again on reload. */
    log_level: z.enum(LOG_LEVELS as [Level, ...Level[]]).optional(),
    /** Datacenter of the embedded registry. */
    datacenter: z.string().min(1).optional(),
    /** Node name of this process in the catalog; the host name by default. */
    node_name: z.string().min(1).optional(),
    /** A prometheus.yml for the engine; without it the engine scrapes every registered service. */
    prometheus_config: z.string().min(1).optional(),
    /** Turns the registry's ACLs on with this management token. */
    acl_bootstrap_token: z.string().min(1).optional(),
  })
  .strict();

/** A validated `meridian.yml`. */
export type UpConfig = z.output<typeof upConfigSchema>;

/** The built-in defaults of `meridian up`, as the standard tools choose them. */
export const UP_DEFAULTS = {
  listen: "127.0.0.1:9090",
  dataDir: "./data",
  logLevel: "info" as Level,
  datacenter: "dc1",
} as const;
