import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWall } from '../../ui/context';
import { clockTime } from '../../ui/format';
import { type PlayerInfo, TilePlayer } from './player';

export interface TileProps {
  index: number;
  cameraId: string | null;
  live: boolean;
  pinned: boolean;
  enlarged: boolean;
  /** Under the enlarged tile: kept mounted (its player and last frame stay), not shown. */
  covered: boolean;
  /** The wall's clock, formatted once per scene. */
  time: string;
  /** Metres from the linked place, when linked. */
  distance: number | null;
  stallMs: number;
  onToggleEnlarge(index: number): void;
  onTogglePin(index: number): void;
}

const INITIAL: PlayerInfo = { state: 'standby', retryAt: null, frameAt: null, firstFrameAt: null, decoding: false };

/** One camera tile: the picture (through a {@link TilePlayer}), its name, status and time. */
export const Tile = memo(function Tile(props: TileProps) {
  const { t } = useTranslation();
  const camera = useWall((s) => (props.cameraId ? s.cameras.byId.get(props.cameraId) : undefined));
  const host = useRef<HTMLDivElement>(null);
  const player = useRef<TilePlayer | null>(null);
  const [info, setInfo] = useState<PlayerInfo>(INITIAL);
  // A player lives as long as its tile; a layout's stall time does not change under it.
  const stallMs = useRef(props.stallMs);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const p = new TilePlayer(el, { stallMs: stallMs.current, onChange: setInfo });
    player.current = p;
    return () => {
      p.dispose();
      player.current = null;
    };
  }, []);

  const url = camera?.streamUrl ?? null;
  const kind = camera?.streamKind ?? null;
  const id = camera?.id ?? null;
  useEffect(() => {
    player.current?.setSource(id && url && kind ? { id, url, kind } : null);
  }, [id, url, kind]);

  useEffect(() => {
    player.current?.setLive(props.live);
  }, [props.live]);

  const status = camera?.status ?? null;
  let center: string | null = null;
  let centerClass = '';
  if (!camera) center = t('video.empty');
  else if (status === 'offline' || status === 'fault') {
    center = t(`video.${status}`);
    centerClass = ' gw-tile-center-bad';
  } else if (info.state === 'nosignal') {
    center = t('video.noSignal');
    centerClass = ' gw-tile-center-bad';
  } else if (info.state === 'unsupported') center = t('video.unsupported');
  else if (info.state === 'connecting') center = t('video.connecting');
  else if (info.state === 'standby' && info.frameAt === null) center = t('video.waiting');

  let badge: string;
  let badgeClass: string;
  if (status === 'offline' || status === 'fault') {
    badge = t(`video.${status}`);
    badgeClass = 'bad';
  } else if (info.state === 'playing') {
    badge = t('video.live');
    badgeClass = 'live';
  } else if (info.state === 'nosignal') {
    const seconds = info.retryAt === null ? 0 : Math.max(0, Math.ceil((info.retryAt - Date.now()) / 1000));
    badge = seconds > 0 ? t('video.retryIn', { seconds }) : t('video.retrying');
    badgeClass = 'bad';
  } else if (info.state === 'standby' && info.frameAt !== null) {
    badge = t('video.standby', { time: clockTime(info.frameAt) });
    badgeClass = 'standby';
  } else {
    badge = center ?? t('video.connecting');
    badgeClass = 'standby';
  }

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the wall's keys (digits, Esc) are handled by the scene
    // biome-ignore lint/a11y/noStaticElementInteractions: a tile is a picture that enlarges on click
    <div
      className={`gw-tile${props.enlarged ? ' gw-tile-enlarged' : ''}${props.covered ? ' gw-tile-covered' : ''}${props.pinned ? ' gw-tile-pinned' : ''}`}
      data-testid="video-tile"
      data-index={props.index}
      data-camera-id={props.cameraId ?? ''}
      data-kind={kind ?? ''}
      data-state={status === 'offline' || status === 'fault' ? status : info.state}
      data-live={props.live ? '1' : '0'}
      data-decoding={info.decoding ? '1' : '0'}
      data-first-frame={info.firstFrameAt === null ? '' : info.firstFrameAt.toFixed(1)}
      data-pinned={props.pinned ? '1' : '0'}
      onClick={() => props.onToggleEnlarge(props.index)}
    >
      <div ref={host} className="gw-tile-media" />
      {center ? <div className={`gw-tile-center${centerClass}`}>{center}</div> : null}
      <div className="gw-tile-top">
        <span className="gw-tile-no">{props.index + 1}</span>
        <span className="gw-tile-name" title={camera?.name}>
          {camera?.name ?? '—'}
        </span>
        <button
          type="button"
          className="gw-tile-pin"
          data-testid="video-pin"
          aria-pressed={props.pinned}
          title={props.pinned ? t('video.unpin') : t('video.pin')}
          onClick={(e) => {
            e.stopPropagation();
            props.onTogglePin(props.index);
          }}
        >
          {props.pinned ? t('video.pinned') : t('video.pin')}
        </button>
      </div>
      <div className="gw-tile-bottom">
        <span className={`gw-tile-badge gw-tile-badge-${badgeClass}`} data-testid="video-badge">
          {badge}
        </span>
        {props.distance !== null ? (
          <span className="gw-tile-dist">{t('video.distance', { meters: Math.round(props.distance) })}</span>
        ) : null}
        <span className="gw-tile-time">{props.time}</span>
      </div>
    </div>
  );
});
