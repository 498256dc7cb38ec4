import { useEffect, useState } from 'react';

/** The local time, ticking every `ms` (clocks, ages, countdowns: no store traffic for them). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
