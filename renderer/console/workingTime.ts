import { CalendarAnswer, WorkingCalendar, WorkingCalendarConfig } from '../../protocol';

/**
 * Deadlines count working time (the server's calendar: hours, workdays, holidays). The console
 * asks the server for that calendar, so "2 h 10 min left" means working time, as the limit does;
 * the calendar and its arithmetic live in protocol/calendar.ts, shared with the server.
 */
export async function fetchCalendar(origin: string, token: string): Promise<WorkingCalendar> {
  try {
    const res = await fetch(`${origin}/api/calendar`, { headers: { authorization: `Bearer ${token}` } });
    const parsed = CalendarAnswer.safeParse(res.ok ? await res.json() : null);
    if (parsed.success) return new WorkingCalendar(parsed.data);
  } catch {
    // An older server without the route: the default calendar (Mon–Fri 08:30–12:00, 13:30–18:00).
  }
  return defaultCalendar();
}

export function defaultCalendar(): WorkingCalendar {
  return new WorkingCalendar(WorkingCalendarConfig.parse({}));
}
