import { createStore } from 'zustand/vanilla';
import { CalendarAnswer, WorkingCalendar, WorkingCalendarConfig } from '../../protocol';

/**
 * The center's working calendar and time zone, from the server's config (GET /api/calendar). Every
 * clock, date and deadline on every page reads it, so the wall shows the center's time (UTC+8 in
 * China) whatever zone the machine is set to. Until the server answers: the default calendar.
 */
export const centerStore = createStore(() => ({
  calendar: new WorkingCalendar(WorkingCalendarConfig.parse({})),
}));

/** Asks the server for its calendar; an older server or a failed request keeps the default. */
export async function loadCenterCalendar(origin: string, token: string): Promise<WorkingCalendar> {
  try {
    const res = await fetch(`${origin}/api/calendar`, { headers: { authorization: `Bearer ${token}` } });
    const parsed = CalendarAnswer.safeParse(res.ok ? await res.json() : null);
    if (parsed.success) centerStore.setState({ calendar: new WorkingCalendar(parsed.data) });
  } catch {
    // The default calendar (UTC+8, Mon–Fri 08:30–12:00, 13:30–18:00) stays.
  }
  return centerStore.getState().calendar;
}
