/** What `GET /{PHONE_NUMBER_ID}` tells about a number: shown to the admin when the number is saved. */
export interface MetaPhoneInfo {
  displayPhoneNumber?: string;
  verifiedName?: string;
  /** GREEN | YELLOW | RED | NA | UNKNOWN */
  qualityRating?: string;
  /** e.g. TIER_250 (`whatsapp_business_manager_messaging_limit`, older `messaging_limit_tier`). */
  messagingLimit?: string;
  nameStatus?: string;
  platformType?: string;
}

/** One template of the WhatsApp Business Account, as `GET /{WABA_ID}/message_templates` lists it. */
export interface MetaTemplate {
  id: string;
  name: string;
  language: string;
  /** APPROVED | PENDING | REJECTED | PAUSED | DISABLED | … */
  status: string;
  category?: string;
  components: unknown[];
  /** GREEN | YELLOW | RED | UNKNOWN */
  quality?: string;
}

export const PHONE_INFO_FIELDS = [
  "display_phone_number",
  "verified_name",
  "code_verification_status",
  "quality_rating",
  "name_status",
  "platform_type",
  "whatsapp_business_manager_messaging_limit",
].join(",");

export const TEMPLATE_FIELDS = "id,name,language,status,category,components,quality_score";
/** Pages followed at most (100 templates each): a WABA holds a few hundred at most. */
export const MAX_TEMPLATE_PAGES = 50;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function phoneInfoOf(body: unknown): MetaPhoneInfo {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const info: MetaPhoneInfo = {};
  const set = (key: keyof MetaPhoneInfo, value: unknown) => {
    const s = str(value);
    if (s) info[key] = s;
  };
  set("displayPhoneNumber", b.display_phone_number);
  set("verifiedName", b.verified_name);
  set("qualityRating", b.quality_rating);
  set("messagingLimit", b.whatsapp_business_manager_messaging_limit ?? b.messaging_limit_tier);
  set("nameStatus", b.name_status);
  set("platformType", b.platform_type);
  return info;
}

/** The templates of one page, and the cursor of the next one (absent on the last page). */
export function templatesPageOf(body: unknown): { templates: MetaTemplate[]; after?: string } {
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    data?: unknown;
    paging?: { cursors?: { after?: unknown }; next?: unknown };
  };
  const templates: MetaTemplate[] = [];
  for (const raw of Array.isArray(b.data) ? b.data : []) {
    const t = raw as Record<string, unknown>;
    const id = str(t.id);
    const name = str(t.name);
    const language = str(t.language);
    const status = str(t.status);
    if (!id || !name || !language || !status) continue;
    const template: MetaTemplate = {
      id,
      name,
      language,
      status,
      components: Array.isArray(t.components) ? t.components : [],
    };
    const category = str(t.category);
    if (category) template.category = category;
    const quality = str((t.quality_score as { score?: unknown } | undefined)?.score);
    if (quality) template.quality = quality;
    templates.push(template);
  }
  const after = str(b.paging?.cursors?.after);
  return b.paging?.next && after ? { templates, after } : { templates };
}
