import { useCallback, useEffect, useState } from 'react';
import type { ConsoleEndpointName, ConsoleInput, ConsoleOutput } from '../../../shared/api/console.ts';
import { consoleCall, type ConsoleError } from './api.ts';

/**
 * One GET of the console API for a page: its answer, its refusal, and a reload. A later answer
 * replaces an earlier one only if it is the latest asked for (paging quickly must not show an old page).
 * `params` fill the endpoint's path (`:branchId` …).
 */
export function useConsoleQuery<N extends ConsoleEndpointName>(name: N, input: ConsoleInput<N>, params: Record<string, string> = {}) {
  const key = JSON.stringify([input, params]);
  const [state, setState] = useState<{ value?: ConsoleOutput<N>; error?: ConsoleError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    const [asked, path] = JSON.parse(key) as [ConsoleInput<N>, Record<string, string>];
    void consoleCall(name, asked, path).then((result) => {
      if (!current) return;
      setState(result.ok ? { value: result.value, loading: false } : { error: result.error, loading: false });
    });
    return () => {
      current = false;
    };
  }, [name, key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
