/**
 * A faithful local emulator of Meta's WhatsApp Cloud API messages endpoint (auth, validation,
 * response and error envelopes, Meta's throughput and pair limits, scripted faults and outages)
 * and its media endpoints (upload, URL retrieval, Bearer-protected expiring downloads, delete;
 * {@link io.wagate.sandbox.SandboxMediaStore}, {@code /_sandbox/media}) for {@code --sandbox} and
 * for tests over real sockets.
 *
 * <h2>Limits</h2>
 *
 * Off in {@link io.wagate.sandbox.SandboxOptions#defaults()}; on with
 * {@link io.wagate.sandbox.SandboxOptions#withMetaLimits()} and friends, or at run time with
 * {@link io.wagate.sandbox.SandboxEmulator#limits()} or {@code POST /_sandbox/limits}.
 * <ul>
 *   <li>Throughput (reference §3.1): one token bucket per number, capacity one second of its
 *       throughput (80 msg/s: 80 tokens), refilled continuously, starting full. An empty bucket
 *       answers {@code 130429} "Cloud API message throughput has been reached.". Sends count,
 *       mark-reads do not.
 *   <li>Pair limit (§3.2): one token bucket per (number, recipient), capacity 45, one token back
 *       every 6 s (both configurable). An empty bucket answers {@code 131056}. Phone numbers are
 *       compared by their digits.
 *   <li>Both answer HTTP 400 (Meta's table) or 429 ({@code throttle_http_status}); refused sends
 *       are not recorded as received, and are counted per number
 *       ({@link io.wagate.sandbox.SandboxEmulator#throttledCount()},
 *       {@link io.wagate.sandbox.SandboxEmulator#pairLimitedCount()}).
 * </ul>
 * Order of checks on {@code POST /{version}/{number}/messages}: token (190), number (100/33),
 * JSON, fault rules, throughput, pair limit, validation, policy rules (when on).
 *
 * <h2>Control API</h2>
 *
 * JSON over HTTP on the emulator's own port, under {@code /_sandbox/}. These endpoints are not
 * part of the emulated Meta: no latency, no faults (except {@code reset_on_connect}, which acts
 * before a request is read), no auth (the sandbox listens on loopback). Errors are
 * {@code {"error":{"message":"..."}}} with 400 (bad body), 404 (unknown path or rule) or 405.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET /_sandbox/health}</td><td>{@code {"status":"ok","received":N}}</td></tr>
 *   <tr><td>{@code GET /_sandbox/messages[?phone_number_id=ID]}</td>
 *       <td>{@code {"count":N,"messages":[{"phone_number_id","wamid","at","body"}]}}</td></tr>
 *   <tr><td>{@code GET /_sandbox/stats}</td>
 *       <td>{@code {"received","attempted","marked_read","throttled","pair_limited","fault_hits",
 *       "outage":bool,"outages":N,"numbers":{ID:{"throughput","throttled","pair_limited"}}}}</td></tr>
 *   <tr><td>{@code GET /_sandbox/faults}</td><td>{@code {"faults":[rule...],"hits":N}}, each rule
 *       as below plus {@code id}, {@code remaining} (if counted) and {@code expires_at} (if timed)</td></tr>
 *   <tr><td>{@code POST /_sandbox/faults} with a rule</td><td>201, the rule with its {@code id}</td></tr>
 *   <tr><td>{@code DELETE /_sandbox/faults}</td><td>{@code {"removed":N}}: every rule</td></tr>
 *   <tr><td>{@code DELETE /_sandbox/faults/{id}}</td><td>{@code {"removed":1}} or 404</td></tr>
 *   <tr><td>{@code GET /_sandbox/limits}</td><td>{@code {"throughput":80,"numbers":{ID:1000},
 *       "pair_limit":{"enabled":true,"burst":45,"refill_millis":6000},"throttle_http_status":400}}</td></tr>
 *   <tr><td>{@code POST /_sandbox/limits} with any of those fields</td><td>the new limits;
 *       {@code throughput} 1..1000 or 0 for none; {@code numbers} maps an id to msg/s, or to
 *       {@code null} to follow the default; {@code pair_limit} is {@code true}, {@code false} or an
 *       object whose missing fields keep their value. A change starts the affected buckets full.</td></tr>
 *   <tr><td>{@code POST /_sandbox/outage {"seconds":30}}</td><td>202, then the listener goes
 *       down: the server socket and every connection close (clients get "connection refused"),
 *       and after {@code seconds} the same port listens again. {@code seconds} is required: the
 *       control API goes down too, so an outage begun over HTTP must end by itself (open-ended
 *       outages: {@link io.wagate.sandbox.SandboxEmulator#startOutage()} /
 *       {@link io.wagate.sandbox.SandboxEmulator#endOutage()}).</td></tr>
 *   <tr><td>{@code POST /_sandbox/reset}</td><td>forgets received/attempted/marked-read messages,
 *       every fault rule, and limit buckets and counts (limit settings stay)</td></tr>
 * </table>
 *
 * <p>A fault rule ({@link io.wagate.sandbox.FaultSpec}):
 * <pre>
 * {"kind": "meta_error" | "drop" | "stall" | "reset_after_read" | "reset_before_read" | "reset_on_connect" | "latency",
 *  "code": 131000, "http_status": 500, "details": "...",   meta_error: any Meta code; http_status defaults to Meta's table
 *  "latency": 300 | {"distribution":"fixed","ms":300}
 *             | {"distribution":"uniform","min_ms":100,"max_ms":500}
 *             | {"distribution":"normal","mean_ms":300,"stddev_ms":50},       latency only; normal is clipped at 0
 *  "number": "106540352242922",   only this sending number (any if absent)
 *  "recipient": "+16505551234",   only sends to this "to"/"recipient", compared as written (any if absent)
 *  "times": 3,                    for this many matching requests (no count limit if absent)
 *  "seconds": 10,                 for this long from now (no time limit if absent)
 *  "probability": 0.05}           chance a matching request is hit (1 if absent)
 * </pre>
 * Kinds: {@code meta_error} answers Meta's error envelope (5xx outages: 131000/500, 131016/503,
 * 2/503, 133004/503); {@code drop} reads the request, records it as attempted and closes (FIN);
 * {@code stall} (alias {@code timeout}) reads, records as attempted and never answers;
 * {@code reset_after_read} reads, records as attempted and resets (RST via SO_LINGER 0);
 * {@code reset_before_read} resets on the request line, before the body (may target a number,
 * not a recipient; records nothing); {@code reset_on_connect} resets a new connection before
 * reading a byte (targets nothing; records nothing; kept-alive connections are not new);
 * {@code latency} delays the answer (of any kind) instead of the configured latency. Rules apply
 * in the order added; per request the first firing answer rule and, separately, the first firing
 * latency rule apply (see {@link io.wagate.sandbox.FaultPlan}).
 *
 * <p>Example: {@code curl -XPOST localhost:PORT/_sandbox/faults -d
 * '{"kind":"meta_error","code":131000,"probability":0.01,"seconds":60}'}.
 *
 * <h2>Webhooks</h2>
 *
 * {@link io.wagate.sandbox.SandboxWebhooks} posts Meta's {@code messages} webhooks to one target:
 * statuses after every accepted send ({@link io.wagate.sandbox.StatusEmitter}, shaped by
 * {@link io.wagate.sandbox.WebhookBehaviour}) and injected inbound messages
 * ({@link io.wagate.sandbox.InboundSpec}); batched ({@link io.wagate.sandbox.WebhookBatcher}),
 * rendered with non-ASCII escaped and signed ({@link io.wagate.sandbox.WebhookSigner}), posted
 * with bounded concurrency and retried until 200 or too old ({@link io.wagate.sandbox.WebhookPoster}).
 * Control endpoints {@code /_sandbox/webhook}, {@code /_sandbox/webhook/pause|resume} and
 * {@code /_sandbox/inbound} ({@link io.wagate.sandbox.WebhookControlApi}); the reference with
 * examples is {@code docs/SANDBOX.md}.
 *
 * <h2>Policy rules</h2>
 *
 * Off in {@link io.wagate.sandbox.SandboxOptions#defaults()}; on with
 * {@link io.wagate.sandbox.SandboxOptions#withPolicyRules()} or {@code POST /_sandbox/policy}.
 * Numbers belong to WABAs, WABAs own templates ({@link io.wagate.sandbox.TemplateCatalog}, Meta's
 * management endpoints in {@link io.wagate.sandbox.SandboxTemplateEndpoints}); template sends are
 * checked by the rule table ({@link io.wagate.sandbox.TemplateSendRules}); free-form sends by the
 * customer service window and free entry point, marketing templates by opt-out and the per-user
 * limit, and every send is priced and recorded ({@link io.wagate.sandbox.SandboxPolicy}). Control
 * endpoints {@code /_sandbox/templates}, {@code /marketing}, {@code /billing}, {@code /policy}
 * ({@link io.wagate.sandbox.PolicyControlApi}); the reference is {@code docs/SANDBOX.md}, section
 * Policy rules.
 *
 * <h2>Media</h2>
 *
 * {@code POST /{version}/{number}/media} ({@link io.wagate.sandbox.SandboxMediaUploadHandler},
 * streamed before the body aggregator), {@code GET|DELETE /{version}/{media-id}} and the download
 * URL ({@link io.wagate.sandbox.SandboxMediaEndpoints}); media held by
 * {@link io.wagate.sandbox.SandboxMediaStore} under {@link io.wagate.sandbox.MediaOptions};
 * control endpoints under {@code /_sandbox/media} ({@link io.wagate.sandbox.MediaControlApi}).
 * Codes chosen and why: {@code docs/SANDBOX.md}, section Media.
 */
package io.wagate.sandbox;
