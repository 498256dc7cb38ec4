import type { Case, CaseLevel, Category, Deadline, Priority, Stage } from '../../protocol';
import type { WorkingCalendar } from '../../protocol/calendar';
import type { LimitsConfig } from '../config';

/** Working-time limits per stage, level, category and priority, turned into deadlines. */
export class DeadlinePolicy {
  constructor(
    readonly calendar: WorkingCalendar,
    readonly limits: LimitsConfig,
    private readonly categories: ReadonlyMap<string, Category>,
  ) {}

  limitMinutes(stage: Stage, level: CaseLevel, category: string, priority: Priority): number {
    switch (stage) {
      case 'file':
        return this.limits.file[priority];
      case 'dispatch':
        return this.limits.dispatch[priority];
      case 'verify':
        return this.limits.verify;
      case 'close':
        return this.limits.close;
      case 'handle': {
        const base =
          level === 'grid' ? (this.categories.get(category)?.handleMinutes ?? 480) : this.limits.handleByLevel[level];
        return priority === 'urgent' ? base * this.limits.urgentHandleFactor : base;
      }
    }
  }

  /** A fresh deadline for `stage`, counted in working time from `now`. */
  start(stage: Stage, c: Pick<Case, 'level' | 'category' | 'priority'>, now: number): Deadline {
    const limitMinutes = this.limitMinutes(stage, c.level, c.category, c.priority);
    return {
      stage,
      level: c.level,
      startedAt: now,
      limitMinutes,
      warnAt: this.calendar.addWorkingMinutes(now, limitMinutes * this.limits.warnRatio),
      dueAt: this.calendar.addWorkingMinutes(now, limitMinutes),
      warned: false,
      overdue: false,
    };
  }

  /** The same deadline with `minutes` more working time (an approved extension). */
  extend(deadline: Deadline, minutes: number): Deadline {
    const limitMinutes = deadline.limitMinutes + minutes;
    const warnAt = this.calendar.addWorkingMinutes(deadline.startedAt, limitMinutes * this.limits.warnRatio);
    const dueAt = this.calendar.addWorkingMinutes(deadline.startedAt, limitMinutes);
    return {
      ...deadline,
      limitMinutes,
      warnAt,
      dueAt,
      warned: deadline.warned && warnAt <= deadline.warnAt,
      overdue: false,
    };
  }
}
