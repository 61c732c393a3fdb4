import { test } from "node:test";
import assert from "node:assert/strict";
import { formatFromContentType } from "./index.js";

test("formatFromContentType picks the parser as Prometheus 2.42 does", () => {
  const cases: [string | undefined, string][] = [
    [undefined, "prometheus-text-0.0.4"],
    ["", "prometheus-text-0.0.4"],
    ["text/plain; version=0.0.4", "prometheus-text-0.0.4"],
    ["application/openmetrics-text", "openmetrics-1.0.0"],
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", "openmetrics-1.0.0"],
    ["Application/OpenMetrics-Text", "openmetrics-1.0.0"],
    ["application/openmetrics-text ; version=1.0.0", "openmetrics-1.0.0"],
    ["application/openmetrics-text;", "openmetrics-1.0.0"],
    ["application/openmetrics-text; foo", "prometheus-text-0.0.4"],
    ["application/openmetrics-text; a=\"b\"", "openmetrics-1.0.0"],
    ["application/json", "prometheus-text-0.0.4"],
    ["garbage", "prometheus-text-0.0.4"],
  ];
  for (const [ct, want] of cases) assert.equal(formatFromContentType(ct), want, String(ct));
});
