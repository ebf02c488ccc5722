import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A span as the receiver decoded it, ids in hex. */
export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  attributes: Record<string, string | number | boolean>;
};

/**
 * An OTLP/HTTP trace receiver on port 0, like a collector's: POST /v1/traces in
 * http/json or http/protobuf (decoded by hand below: the wire format is small).
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests++;
      const body = Buffer.concat(chunks);
      if (req.url !== "/v1/traces" || req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      const json = (req.headers["content-type"] ?? "").includes("json");
      spans.push(...(json ? fromJson(JSON.parse(body.toString("utf8"))) : fromProtobuf(body)));
      res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
      res.end(json ? "{}" : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    requests: () => requests,
    trace: (traceId: string) => spans.filter((s) => s.traceId === traceId),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

type JsonValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type JsonKv = { key: string; value: JsonValue };
type JsonBody = {
  resourceSpans?: {
    resource?: { attributes?: JsonKv[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: JsonKv[];
      }[];
    }[];
  }[];
};

function jsonAttributes(list: JsonKv[] = []): ReceivedSpan["attributes"] {
  const out: ReceivedSpan["attributes"] = {};
  for (const { key, value } of list) {
    out[key] = value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue);
  }
  return out;
}

function fromJson(body: JsonBody): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const service = String(jsonAttributes(rs.resource?.attributes)["service.name"] ?? "");
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? "",
        name: s.name,
        service,
        attributes: jsonAttributes(s.attributes),
      })),
    );
  });
}

/** Protobuf fields of one message: field number → values (Buffer for length-delimited, bigint otherwise). */
function fields(buf: Buffer): Map<number, (Buffer | bigint)[]> {
  const out = new Map<number, (Buffer | bigint)[]>();
  let at = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++] ?? 0;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    let value: Buffer | bigint;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = buf.readBigUInt64LE(at);
      at += 8;
    } else if (wire === 5) {
      value = BigInt(buf.readUInt32LE(at));
      at += 4;
    } else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(at, at + len);
      at += len;
    } else throw new Error(`unsupported wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const bytes = (m: Map<number, (Buffer | bigint)[]>, n: number) => m.get(n)?.filter(Buffer.isBuffer) ?? [];

function protoAttributes(list: Buffer[]): ReceivedSpan["attributes"] {
  const out: ReceivedSpan["attributes"] = {};
  for (const kv of list) {
    const f = fields(kv);
    const key = bytes(f, 1)[0]?.toString("utf8") ?? "";
    const any = fields(bytes(f, 2)[0] ?? Buffer.alloc(0));
    const str = bytes(any, 1)[0];
    const bool = any.get(2)?.[0];
    const int = any.get(3)?.[0];
    const dbl = any.get(4)?.[0];
    if (str) out[key] = str.toString("utf8");
    else if (typeof bool === "bigint") out[key] = bool === 1n;
    else if (typeof int === "bigint") out[key] = Number(BigInt.asIntN(64, int));
    else if (typeof dbl === "bigint") {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(dbl);
      out[key] = b.readDoubleLE();
    }
  }
  return out;
}

/** ExportTraceServiceRequest: resource_spans(1) → resource(1).attributes(1), scope_spans(2) → spans(2). */
function fromProtobuf(body: Buffer): ReceivedSpan[] {
  return bytes(fields(body), 1).flatMap((rsBuf) => {
    const rs = fields(rsBuf);
    const resource = fields(bytes(rs, 1)[0] ?? Buffer.alloc(0));
    const service = String(protoAttributes(bytes(resource, 1))["service.name"] ?? "");
    return bytes(rs, 2).flatMap((ssBuf) =>
      bytes(fields(ssBuf), 2).map((spanBuf) => {
        const s = fields(spanBuf);
        const hex = (n: number) => bytes(s, n)[0]?.toString("hex") ?? "";
        return {
          traceId: hex(1),
          spanId: hex(2),
          parentSpanId: hex(4),
          name: bytes(s, 5)[0]?.toString("utf8") ?? "",
          service,
          attributes: protoAttributes(bytes(s, 9)),
        };
      }),
    );
  });
}
