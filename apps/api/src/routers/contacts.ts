import {
  CreateContactInput,
  createContact,
  eraseContact,
  exportContactData,
  getContact,
  getImport,
  ListContactsInput,
  ListImportsInput,
  listContactNotes,
  listContacts,
  listImports,
  SaveSharedContactInput,
  StartContactImportInput,
  saveSharedContact,
  startContactImport,
  UpdateContactInput,
  updateContact,
} from "@elsehu/core";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { streamEvents } from "../realtime/hub";
import { adminProcedure, router, staffProcedure, userProcedure } from "../trpc/init";

const byId = z.object({ id: z.string().uuid() });

/**
 * Roles: staff (ADMIN, SUPERVISOR) list, read, create, update and import
 * contacts and export a person's data (LGPD access); only an ADMIN erases one (LGPD, irreversible). An OPERATOR may only
 * `get` the contact of a conversation assigned to him.
 */
export const contactsRouter = router({
  list: staffProcedure.input(ListContactsInput).query(({ ctx, input }) => listContacts(ctx.core, input)),

  get: userProcedure.input(byId).query(({ ctx, input }) => getContact(ctx.core, ctx.user, input.id)),

  /** The customer panel's notes: internal notes of the contact's conversations the caller may read. */
  notes: userProcedure.input(byId).query(({ ctx, input }) => listContactNotes(ctx.core, ctx.user, input.id)),

  create: staffProcedure
    .input(CreateContactInput)
    .mutation(({ ctx, input }) => createContact(ctx.core, ctx.user, input)),

  /** "Salvar contato" on a contact card a customer shared: staff or the conversation's operator. */
  saveShared: userProcedure
    .input(SaveSharedContactInput)
    .mutation(({ ctx, input }) => saveSharedContact(ctx.core, ctx.user, input)),

  update: staffProcedure
    .input(UpdateContactInput)
    .mutation(({ ctx, input }) => updateContact(ctx.core, ctx.user, input)),

  /** LGPD erasure: personal data removed, the row kept so report counts stay right. */
  delete: adminProcedure.input(byId).mutation(({ ctx, input }) => eraseContact(ctx.core, ctx.user, input.id)),

  /** LGPD right of access: everything held about the person, as JSON (audited). */
  exportData: staffProcedure.input(byId).mutation(({ ctx, input }) => exportContactData(ctx.core, ctx.user, input.id)),

  /** Starts the import of a CSV uploaded with `POST /uploads/contacts-csv`. */
  import: staffProcedure
    .input(StartContactImportInput)
    .mutation(({ ctx, input }) => startContactImport(ctx.core, ctx.user, input)),

  imports: staffProcedure.input(ListImportsInput).query(({ ctx, input }) => listImports(ctx.core, input)),

  importStatus: staffProcedure.input(byId).query(({ ctx, input }) => getImport(ctx.core, input.id)),

  /** Live counters of one import; `lastEventId` replays what a reconnecting client missed. */
  onImportProgress: staffProcedure
    .input(z.object({ importId: z.string().uuid(), lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const e of streamEvents(ctx.hub, ctx.core, ctx.user, {
        lastEventId: input.lastEventId ? Number(input.lastEventId) : null,
        signal,
        kind: "import.progress",
        filter: (e) => e.payload.importId === input.importId,
      })) {
        yield tracked(String(e.id), { ...e.payload, error: e.payload.error ?? null });
      }
    }),
});
