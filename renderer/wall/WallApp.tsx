import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { Layout } from '../../protocol';
import { useCatalogue } from '../i18n';
import { DisplayView } from '../layout/DisplayView';
import { loadLayout } from '../layout/layouts';
import { PreviewView } from '../layout/PreviewView';
import { ScaledCanvas } from '../layout/ScaledCanvas';
import { presenterCatalogue } from '../presenter/i18n';
import { ShowBlank, ShowMarks } from '../presenter/ShowOverlay';
import { LayoutContext, RuntimeContext } from '../ui/context';
import { Message } from '../ui/Message';
import { WallRuntime } from './runtime';
import { shellBridge } from './session';

/** The wall page (`/wall`, `/preview`): one display of a layout, or the whole layout scaled down. */
export function WallApp(props: { layout: Layout; params: URLSearchParams; preview: boolean }) {
  // The presentation's marks and a step's KPI period show on the wall.
  useCatalogue(presenterCatalogue);
  const { layout, params, preview } = props;
  const [runtime] = useState(
    () =>
      new WallRuntime({
        origin: location.origin,
        params,
        wallName: layout.name,
        focusPolicy: layout.focus,
      }),
  );
  const [error, setError] = useState<string | null>(null);
  // A layout effect, not a passive one: the login and the stream start before the scenes' own
  // effects (the map's and the charts' set-up, hundreds of ms of main thread) and run beside them.
  useLayoutEffect(() => {
    runtime.start().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [runtime]);
  useEffect(() => () => runtime.dispose(), [runtime]);
  // In the Electron shell: screens of the layout that have no display now are named on the others.
  const [missing, setMissing] = useState<number[]>([]);
  useEffect(() => shellBridge()?.onWallStatus((s) => setMissing(s.missingScreens)), []);

  const displayIndex = Number(params.get('display') ?? layout.displays[0]?.index ?? 0);
  // A presentation's step may switch every page of the wall to another layout and preset.
  const step = useStore(runtime.show, (s) => s.presentation?.step ?? null);
  const stepLayout = useMemo(() => (step?.layout ? loadLayout(step.layout) : null), [step?.layout]);
  const shown = stepLayout?.ok ? stepLayout.layout : layout;
  const display = shown.displays.find((d) => d.index === displayIndex);
  let content: React.ReactNode;
  if (preview) content = <PreviewView layout={layout} />;
  else if (!display && shown !== layout)
    // This screen has no part in the step's layout: it shows the logo until the tour moves on.
    content = (
      <ScaledCanvas width={shown.canvas.width} height={shown.canvas.height}>
        <div className="gw-display" style={{ width: shown.canvas.width, height: shown.canvas.height }}>
          <ShowBlank force />
        </div>
      </ScaledCanvas>
    );
  else if (!display)
    content = <Message textKey="app.displayUnknown" values={{ layout: layout.name, display: displayIndex }} />;
  else
    content = (
      <ScaledCanvas width={shown.canvas.width} height={shown.canvas.height} large={shown.largeScreen}>
        <DisplayView layout={shown} display={display} presetId={step?.preset}>
          {display.header ? null : <ShowMarks floating />}
          <ShowBlank />
        </DisplayView>
      </ScaledCanvas>
    );
  return (
    <RuntimeContext.Provider value={runtime}>
      <LayoutContext.Provider value={shown}>
        {error ? <LoginError reason={error} /> : null}
        {content}
        {missing.length > 0 ? (
          <Message
            textKey="connection.missingScreens"
            values={{ screens: missing.map((n) => n + 1).join(', ') }}
            overlay
          />
        ) : null}
      </LayoutContext.Provider>
    </RuntimeContext.Provider>
  );
}

function LoginError(props: { reason: string }) {
  return <Message textKey="app.loginFailed" values={{ reason: props.reason }} overlay />;
}
