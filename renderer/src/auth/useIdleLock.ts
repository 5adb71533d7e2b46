import { useEffect } from 'react';
import { useAppStore } from '../stores/app.ts';

const HEARTBEAT_MS = 60_000;

/**
 * The host locks a session that made no call for the idle period. While the person is active
 * (typing into a long form makes no host calls) a heartbeat keeps it open; when they are not, the
 * renderer asks for the session state at the deadline and shows the lock at once.
 */
export function useIdleLock(): void {
  const session = useAppStore((s) => s.session);
  const call = useAppStore((s) => s.call);
  const refreshSession = useAppStore((s) => s.refreshSession);
  const signedIn = session?.user != null && !session.locked;
  const idleMs = (session?.idleLockMinutes ?? 15) * 60_000;
  // Well inside the idle period, so an active person is never locked out between two beats.
  const heartbeatMs = Math.min(HEARTBEAT_MS, idleMs / 3);

  useEffect(() => {
    if (!signedIn) return;
    let lastActivity = Date.now();
    let lastBeat = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
    };
    const events = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const event of events) window.addEventListener(event, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      const now = Date.now();
      if (lastActivity > lastBeat && now - lastBeat >= heartbeatMs) {
        lastBeat = now;
        void call('session.heartbeat', {});
      } else if (now - lastActivity > idleMs) {
        void refreshSession();
      }
    }, 5_000);
    return () => {
      window.clearInterval(timer);
      for (const event of events) window.removeEventListener(event, onActivity);
    };
  }, [signedIn, idleMs, heartbeatMs, call, refreshSession]);
}
