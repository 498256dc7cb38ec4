#!/usr/bin/env bash
# Makes the demo camera clips in resources/media (checked in; run again only to change them).
# Each clip: 12 s, 480×270, 15 fps, H.264 Constrained Baseline, no audio, a keyframe every 2 s,
# showing the clip's name and a running clock. Written as an MP4 (faststart) and as HLS (2 s
# MPEG-TS segments, VOD playlist; named .m2ts, since TypeScript tools take .ts files for source);
# clip-4 also as a Motion-JPEG stream (concatenated JPEGs) that the server replays as
# multipart/x-mixed-replace. Why these formats: docs/video.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=resources/media/clips
FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
MONO=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf
SECONDS_LONG=12
FPS=15

# Four different moving backgrounds so that neighbouring tiles are told apart at a glance.
SOURCES=(
  "testsrc2=size=480x270:rate=$FPS"
  "smptehdbars=size=480x270:rate=$FPS,hue=H=2*PI*t/6"
  "mandelbrot=size=480x270:rate=$FPS:end_scale=0.02"
  "life=size=480x270:rate=$FPS:mold=10:ratio=0.2:death_color=#102040:life_color=#40c0a0,scale=480:270"
)
NAMES=("演示画面一 CLIP 1" "演示画面二 CLIP 2" "演示画面三 CLIP 3" "演示画面四 CLIP 4")

rm -rf "$OUT"
for i in 1 2 3 4; do
  dir="$OUT/clip-$i"
  mkdir -p "$dir"
  src=${SOURCES[$((i - 1))]}
  name=${NAMES[$((i - 1))]}
  # A sweeping bar and a clock with tenths: a frozen picture is obvious to the eye and to a test.
  filter="drawbox=x='mod(t*120,480)':y=250:w=24:h=20:color=yellow@0.9:t=fill,\
drawtext=fontfile=$FONT:text='$name':x=12:y=10:fontsize=24:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=6,\
drawtext=fontfile=$MONO:text='%{pts\:hms}':x=12:y=226:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=5"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$src" -t $SECONDS_LONG -vf "$filter" \
    -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -preset veryslow -tune zerolatency \
    -g $((FPS * 2)) -keyint_min $((FPS * 2)) -sc_threshold 0 -b:v 180k -maxrate 220k -bufsize 440k -an \
    "$dir/master.mp4"
  # The same stream, copied (no second encode): MP4 for progressive playback, TS segments for HLS.
  ffmpeg -hide_banner -loglevel error -y -i "$dir/master.mp4" -c copy -movflags +faststart "$OUT/clip-$i.mp4"
  ffmpeg -hide_banner -loglevel error -y -i "$dir/master.mp4" -c copy -f hls -hls_time 2 \
    -hls_playlist_type vod -hls_segment_filename "$dir/seg-%03d.m2ts" "$dir/index.m3u8"
  rm "$dir/master.mp4"
done

# Motion JPEG: 4 fps, 320×180, 8 s; the server loops it at the recorded rate.
ffmpeg -hide_banner -loglevel error -y -i "$OUT/clip-4.mp4" -t 8 -vf "fps=4,scale=320:180" -q:v 7 \
  -f mjpeg "$OUT/clip-4.mjpeg"

du -ch resources/media | tail -1
