import { z } from "zod";

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "expected a time as HH:MM");
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");
/** Customer-facing texts: bounded, may use {{nome}} and {{operador}}. */
const Text = z.string().trim().max(1000).nullable();

export const DepartmentHoursInput = z.object({
  weekly: z
    .array(
      z
        .object({ day: z.number().int().min(0).max(6), open: Time, close: Time })
        .refine((h) => h.open < h.close, { path: ["close"], message: "must be after open" }),
    )
    .max(28),
  holidays: z.array(Day).max(100).default([]),
});

/** Every editable field of a department (no defaults: an update changes only what it names). */
const DepartmentFields = z.object({
  name: z.string().trim().min(1, "name is required").max(60),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "expected a colour as #rrggbb"),
  /** null: always open. */
  hours: DepartmentHoursInput.nullable(),
  outOfHoursMessage: Text,
  outOfHoursTabulationId: z.string().uuid().nullable(),
  greetingMessage: Text,
  farewellMessage: Text,
  csatEnabled: z.boolean(),
  csatQuestion: Text,
});

export const CreateDepartmentInput = DepartmentFields.partial().required({ name: true });
export type CreateDepartmentInput = z.input<typeof CreateDepartmentInput>;

export const UpdateDepartmentInput = DepartmentFields.partial().extend({ id: z.string().uuid() });
export type UpdateDepartmentInput = z.input<typeof UpdateDepartmentInput>;
