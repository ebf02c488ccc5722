import { CreateContactInput, getContact, ListContactsInput, listContacts, upsertContact } from "@elsehu/core";
import { z } from "zod";
import { publicRouter, scoped } from "./init";
import { ContactOut, ContactPage, plain } from "./schemas";

const read = scoped("contacts:read");
const write = scoped("contacts:write");

/** Query strings are text: the list's typed fields coerce here (own schemas, the core one is shared with tRPC). */
const SearchContactsQuery = ListContactsInput.extend({
  optedOut: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const contactsRoutes = publicRouter({
  upsert: write
    .meta({
      openapi: {
        method: "PUT",
        path: "/contacts",
        tags: ["contacts"],
        summary: "Create or update a contact by phone",
        description: "A phone already known (in any format) updates the given fields of that contact.",
      },
    })
    .input(CreateContactInput)
    .output(z.object({ created: z.boolean(), contact: ContactOut }))
    .mutation(async ({ ctx, input }) => plain(await upsertContact(ctx.core, ctx.actor, input)) as never),

  get: read
    .meta({ openapi: { method: "GET", path: "/contacts/{id}", tags: ["contacts"], summary: "Get a contact" } })
    .input(z.object({ id: z.string().uuid() }))
    .output(ContactOut)
    .query(async ({ ctx, input }) => plain(await getContact(ctx.core, ctx.actor, input.id)) as never),

  search: read
    .meta({
      openapi: {
        method: "GET",
        path: "/contacts",
        tags: ["contacts"],
        summary: "Search contacts",
        description: "`search`: part of a name, e-mail or phone; newest first, `cursor` = the previous `nextCursor`.",
      },
    })
    .input(SearchContactsQuery)
    .output(ContactPage)
    .query(async ({ ctx, input }) => plain(await listContacts(ctx.core, input)) as never),
});
