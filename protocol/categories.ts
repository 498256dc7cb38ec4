import { z } from 'zod';
import { DeadlineClock } from './cases';

export const Category = z.object({
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(32),
  nameEn: z.string().max(64),
  group: z.string().max(32),
  /** Working minutes allowed for handling at the grid level (道路不洁 300, 暴露垃圾 480, 违法搭建 7200). */
  handleMinutes: z.number().int().positive(),
  /** The department that takes it when the center dispatches by category. */
  departmentId: z.string().nullable(),
  /** Sensor alarms of this category are filed and dispatched automatically (金凤 oil-fume monitors). */
  autoDispatch: z.boolean().default(false),
  /** Calendar time for every case of the category (urgent and sensor cases count calendar time anyway). */
  deadlineClock: DeadlineClock.optional(),
});
export type Category = z.infer<typeof Category>;
