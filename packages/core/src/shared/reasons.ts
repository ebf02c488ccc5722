/**
 * Reason catalog: every error a client can receive has one machine `reason`,
 * sent in tRPC's `error.data.reason` (and `reason` in plain HTTP error bodies).
 * The console turns each reason into pt-BR text (`apps/web/src/lib/errors.ts`,
 * a `Record<Reason, …>`, so a reason without text fails its typecheck); the
 * English `message` is for logs and API users.
 *
 * `DOMAIN_REASONS` maps each reason core verbs throw to its `DomainErrorCode`
 * (one place decides the HTTP status). `TRANSPORT_REASONS` are set by the API
 * itself for errors that never were a DomainError (bad JSON, unknown path, a
 * database outage, a crash).
 */
export const DOMAIN_REASONS = {
  // Generic, when nothing more specific applies.
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  INVALID_INPUT: "VALIDATION",
  // Sign-in and roles.
  SIGN_IN_REQUIRED: "UNAUTHORIZED",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  ACCOUNT_DEACTIVATED: "UNAUTHORIZED",
  LOGIN_THROTTLED: "RATE_LIMITED",
  ROLE_FORBIDDEN: "FORBIDDEN",
  CROSS_SITE_REFUSED: "FORBIDDEN",
  // Per-user bounds of live connections (WS_MAX_SOCKETS_PER_USER, WS_MAX_SUBSCRIPTIONS_PER_USER).
  TOO_MANY_SOCKETS: "RATE_LIMITED",
  TOO_MANY_SUBSCRIPTIONS: "RATE_LIMITED",
  // The API process's own bound (WS_MAX_SUBSCRIPTIONS): not the caller's fault, try again later.
  SERVER_BUSY: "PROVIDER_UNAVAILABLE",
  WRONG_CURRENT_PASSWORD: "VALIDATION",
  // Users and presence.
  EMAIL_TAKEN: "CONFLICT",
  LAST_ADMIN: "PRECONDITION_FAILED",
  NOT_OWN_PROFILE: "FORBIDDEN",
  CONSOLE_NOT_CONNECTED: "PRECONDITION_FAILED",
  // Conversations.
  CONVERSATION_NOT_YOURS: "FORBIDDEN",
  CONVERSATION_NOT_OPEN: "FORBIDDEN",
  CONVERSATION_CLOSED: "PRECONDITION_FAILED",
  CONVERSATION_STATE_CHANGED: "PRECONDITION_FAILED",
  CONTACT_HAS_ACTIVE_CONVERSATION: "CONFLICT",
  ALREADY_WITH_OPERATOR: "CONFLICT",
  ALREADY_IN_QUEUE: "CONFLICT",
  FORCE_NEEDS_STAFF: "FORBIDDEN",
  OPERATOR_NOT_ACTIVE: "VALIDATION",
  OPERATOR_OFFLINE: "PRECONDITION_FAILED",
  OPERATOR_AT_CAPACITY: "PRECONDITION_FAILED",
  TABULATION_INACTIVE: "VALIDATION",
  TABULATION_NAME_TAKEN: "CONFLICT",
  TOO_MANY_TAGS: "VALIDATION",
  START_DISABLED_FOR_OPERATORS: "FORBIDDEN",
  CONTACT_WITH_OTHER_OPERATOR: "CONFLICT",
  QUICK_REPLY_NOT_YOURS: "FORBIDDEN",
  QUICK_REPLY_SHORTCUT_TAKEN: "CONFLICT",
  TOO_MANY_QUICK_REPLIES: "PRECONDITION_FAILED",
  // Messages and files.
  TEMPLATE_REQUIRED: "PRECONDITION_FAILED",
  REPLY_TARGET_INVALID: "VALIDATION",
  BODY_TOO_LONG: "VALIDATION",
  FILE_REQUIRED: "VALIDATION",
  FILE_TYPE_REFUSED: "VALIDATION",
  FILE_TOO_LARGE: "VALIDATION",
  FILE_SIZE_MISMATCH: "VALIDATION",
  TEMPLATE_VALUES_MISSING: "VALIDATION",
  VOICE_NOT_OGG_OPUS: "VALIDATION",
  VOICE_NOT_MONO: "VALIDATION",
  VOICE_TOO_SHORT: "VALIDATION",
  VOICE_TOO_LONG: "VALIDATION",
  STICKER_NO_CAPTION: "VALIDATION",
  REACTION_TO_REACTION: "VALIDATION",
  NOT_SENT_YET: "PRECONDITION_FAILED",
  // Contacts and imports.
  PHONE_INVALID: "VALIDATION",
  PHONE_TAKEN: "CONFLICT",
  CONTACT_NOT_YOURS: "FORBIDDEN",
  IMPORT_ALREADY_STARTED: "CONFLICT",
  // WhatsApp numbers (instances).
  INSTANCE_UNKNOWN: "VALIDATION",
  INSTANCE_DEACTIVATED: "PRECONDITION_FAILED",
  INSTANCE_HAS_CONVERSATIONS: "PRECONDITION_FAILED",
  INSTANCE_IN_USE: "PRECONDITION_FAILED",
  INSTANCE_CREDENTIALS_UNREADABLE: "PRECONDITION_FAILED",
  PHONE_NUMBER_ID_TAKEN: "CONFLICT",
  QR_ONLY_EVOLUTION: "PRECONDITION_FAILED",
  PROVIDER_REFUSED: "PROVIDER_UNAVAILABLE",
  META_BAD_TOKEN: "VALIDATION",
  META_UNKNOWN_PHONE_NUMBER_ID: "VALIDATION",
  EVOLUTION_BAD_API_KEY: "VALIDATION",
  PUBLIC_URL_MISSING: "PRECONDITION_FAILED",
  NOT_META: "PRECONDITION_FAILED",
  WABA_ID_MISSING: "VALIDATION",
  PRIVATE_PROVIDER_URL: "VALIDATION",
  PROVIDER_HOST_UNRESOLVED: "VALIDATION",
  SECRETS_REQUIRED_FOR_NEW_HOST: "VALIDATION",
  // Templates.
  TEMPLATE_UNKNOWN: "VALIDATION",
  TEMPLATE_NAME_TAKEN: "CONFLICT",
  TEMPLATE_IN_USE: "PRECONDITION_FAILED",
  TEMPLATE_INACTIVE: "VALIDATION",
  TEMPLATE_OTHER_NUMBER: "VALIDATION",
  TEMPLATE_NOT_APPROVED: "VALIDATION",
  META_NAME_REQUIRED: "VALIDATION",
  TEMPLATE_ID_OR_DRAFT: "VALIDATION",
  VARIABLES_UNCOVERED: "VALIDATION",
  VARIABLES_MIXED: "VALIDATION",
  VARIABLES_GAP: "VALIDATION",
  // Campaigns.
  CAMPAIGN_ALREADY_STARTED: "PRECONDITION_FAILED",
  CAMPAIGN_NO_RECIPIENTS: "PRECONDITION_FAILED",
  CAMPAIGN_STATUS_REFUSED: "PRECONDITION_FAILED",
  CAMPAIGN_NOT_DRAFT: "PRECONDITION_FAILED",
  CAMPAIGN_AUDIENCE_NOT_CSV: "PRECONDITION_FAILED",
  VARIABLE_SOURCE_INVALID: "VALIDATION",
  VARIABLE_NEEDS_CSV: "VALIDATION",
  CSV_EMPTY: "VALIDATION",
  CSV_NO_HEADER: "VALIDATION",
  CSV_COLUMNS_MISSING: "VALIDATION",
  // Departments.
  DEPARTMENT_NOT_YOURS: "FORBIDDEN",
  DEPARTMENT_UNKNOWN: "VALIDATION",
  DEPARTMENT_NAME_TAKEN: "CONFLICT",
  DEPARTMENT_MEMBER_INVALID: "VALIDATION",
  OPERATOR_NOT_IN_DEPARTMENT: "VALIDATION",
  // Reports.
  REPORT_NOT_OWN: "FORBIDDEN",
  // Inbound media and shared contact cards.
  MEDIA_NONE: "PRECONDITION_FAILED",
  MEDIA_READY: "CONFLICT",
  MEDIA_EXPIRED: "PRECONDITION_FAILED",
  CONTACT_CARD_UNKNOWN: "VALIDATION",
  CONTACT_CARD_NO_PHONE: "PRECONDITION_FAILED",
  // Public API (tokens, /api/v1).
  API_TOKEN_INVALID: "UNAUTHORIZED",
  API_TOKEN_EXPIRY_PAST: "VALIDATION",
  API_SCOPE_MISSING: "FORBIDDEN",
  IDEMPOTENCY_KEY_INVALID: "VALIDATION",
  IDEMPOTENCY_KEY_REUSED: "CONFLICT",
  // Outbound webhooks.
  PRIVATE_WEBHOOK_URL: "VALIDATION",
  WEBHOOK_HOST_UNRESOLVED: "VALIDATION",
  TOO_MANY_WEBHOOK_ENDPOINTS: "PRECONDITION_FAILED",
  WEBHOOK_ENDPOINT_DISABLED: "PRECONDITION_FAILED",
} as const satisfies Record<string, DomainErrorCode>;

export const TRANSPORT_REASONS = [
  "PROCEDURE_NOT_FOUND",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "SERVICE_UNAVAILABLE",
  "DATABASE_UNAVAILABLE",
  "QUERY_TIMEOUT",
  "INTERNAL",
] as const;

export type DomainErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHORIZED"
  | "CONFLICT"
  | "VALIDATION"
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED"
  | "PROVIDER_UNAVAILABLE";

export type DomainReason = keyof typeof DOMAIN_REASONS;
export type TransportReason = (typeof TRANSPORT_REASONS)[number];
/** Every reason a client can receive. */
export type Reason = DomainReason | TransportReason;

/** Every reason, at run time (a console test checks each has text). */
export const ALL_REASONS: readonly Reason[] = [
  ...(Object.keys(DOMAIN_REASONS) as DomainReason[]),
  ...TRANSPORT_REASONS,
];

type Variables = { missing?: string[]; unknown?: string[] };

/**
 * What each reason carries in `details`, for the console's text. Reasons not
 * listed carry at most `field` (the input that is wrong).
 */
export type ReasonDetails = {
  NOT_FOUND: { what: string };
  INVALID_INPUT: { field?: string; issues?: Array<{ path: string; message: string }> };
  LOGIN_THROTTLED: { retryAfterSeconds: number };
  OPERATOR_AT_CAPACITY: { capacity: number };
  TOO_MANY_TAGS: { field: "tags"; max: number };
  TOO_MANY_QUICK_REPLIES: { max: number };
  OPERATOR_OFFLINE: { operator: string };
  BODY_TOO_LONG: { field: "body"; max: number };
  FILE_TYPE_REFUSED: { field: "file"; mimeType: string };
  FILE_TOO_LARGE: { field: "file"; kind: string; maxMb: number; maxBytes?: number; tooLarge?: true };
  TEMPLATE_VALUES_MISSING: { field: "variables" } & Variables;
  VOICE_TOO_SHORT: { field: "file"; minMs: number };
  VOICE_TOO_LONG: { field: "file"; maxSeconds: number };
  PHONE_TAKEN: { field: "phone"; contactId?: string };
  PROVIDER_REFUSED: { code: string; providerMessage: string };
  TEMPLATE_IN_USE: { campaignId: string; campaign?: string };
  TEMPLATE_REQUIRED: { reason: "TEMPLATE_REQUIRED" };
  VARIABLES_UNCOVERED: { field: string } & Variables;
  VARIABLES_GAP: { field: "body"; missing: string[] };
  VARIABLE_SOURCE_INVALID: { field: string; variable: string };
  VARIABLE_NEEDS_CSV: { field: string; variable: string };
  CAMPAIGN_ALREADY_STARTED: { status: string };
  API_SCOPE_MISSING: { scope: string };
  TOO_MANY_WEBHOOK_ENDPOINTS: { max: number };
  CAMPAIGN_STATUS_REFUSED: { status: string; action: "pause" | "resume" | "cancel" };
  CSV_COLUMNS_MISSING: { field: "file"; missing: string[] };
  INSTANCE_CREDENTIALS_UNREADABLE: { instanceId: string; instance: string };
};

type Free = { field?: string } & Record<string, unknown>;
/** The `details` of reason R (free-form for reasons without an entry in ReasonDetails). */
export type DetailsOf<R extends Reason> = R extends keyof ReasonDetails ? ReasonDetails[R] : Free;
