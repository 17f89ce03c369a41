#!/usr/bin/env bash
# Rehearses the Pi install on the real OS: Debian 12 (Bookworm) and Debian 13 (Trixie) arm64 root file systems, built
# from Debian's packages with mmdebstrap and run under qemu-user emulation. Raspberry Pi OS is these releases plus the
# Raspberry Pi archive (kernel, firmware, raspi-config), which the agent does not use.
#
#   sudo pi-agent/src/rehearsal/rehearse.sh [--images bookworm,trixie] [--cache DIR] [--rebuild]
#
# In each image, as a keeper would: install.sh from the folder docs/deploy-pi.md tells you to copy, systemd-analyze
# verify, the installed stop step run with the image's own gpioset behind a logging shim, install.sh re-run with
# contradicting flags, without flags and after editing the config, the installed agent with --simulate against a
# broker on this machine's loopback (on every JRE of the image), and doctor. Prints a table (image x check -> ok/FAIL)
# and exits 1 on any FAIL.
#
# Needs root, the agent jar (mvn -B -pl pi-agent -am package -DskipTests), and Debian's mmdebstrap, arch-test,
# qemu-user-static, binfmt-support, mosquitto and mosquitto-clients (.ci/run installs them). The root file systems are
# cached in --cache (default /var/cache/spike-rehearsal, outside the clone) and rebuilt when their package list
# changes; each rehearsal runs on a fresh copy.
#
# Each check records its own verdict, so this script does not stop at the first failing command (no set -e).
set -uo pipefail

repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cache=/var/cache/spike-rehearsal
images=bookworm,trixie
rebuild=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --images) images="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --rebuild) rebuild=true; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "rehearse.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "rehearse.sh: run as root (it builds root file systems and chroots into them)" >&2; exit 2; }
jar="$repo/pi-agent/target/spike-agent.jar"
[ -f "$jar" ] || { echo "rehearse.sh: $jar is missing; build it: mvn -B -pl pi-agent -am package -DskipTests" >&2; exit 2; }
for tool in mmdebstrap qemu-aarch64-static mosquitto mosquitto_sub update-binfmts; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    echo "rehearse.sh: $tool is missing: apt-get install mmdebstrap arch-test qemu-user-static binfmt-support" \
      "mosquitto mosquitto-clients" >&2; exit 2; }
done

# What each image has before install.sh runs: the Debian base plus what mmdebstrap needs to run apt. install.sh
# installs the JRE, gpiod and i2c-tools itself, as on a keeper's Pi; the packages it downloads are kept in the cache.
# After the install checks, the rehearsal adds the release's other JREs (Trixie's Java 25) to run the agent on them too.
base_packages="ca-certificates,passwd,systemd,sudo"
declare -A expected_jre=([bookworm]="openjdk-17-jre-headless" [trixie]="openjdk-21-jre-headless")
declare -A other_jres=([bookworm]="" [trixie]="openjdk-25-jre-headless")
declare -A expected_gpiod=([bookworm]="v1" [trixie]="v2")

# --- binfmt_misc and the broker on the host ------------------------------------------------------------------------
[ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-aarch64 2>/dev/null || true
grep -q '^flags:.*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
  || { echo "rehearse.sh: qemu-aarch64 is not registered with the F flag; reinstall qemu-user-static" >&2; exit 2; }

work="$(mktemp -d /tmp/spike-rehearsal.XXXXXX)"
broker_pid=""
cleanup() {
  # every mount of every image's rehearsal lies below $work
  findmnt -rn -o TARGET | grep -F "$work/" | sort -r | xargs -r umount -l
  [ -z "$broker_pid" ] || kill "$broker_pid" 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 20000))
cat > "$work/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
persistence false
EOF
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker_pid=$!

# Each image is rehearsed in its own process; its verdicts go to $work/<image>.results as "check|verdict|detail".
record() { # image check ok|FAIL [detail]
  local detail="${4:-}"
  detail="${detail//$'\n'/ }"
  printf '%s|%s|%s\n' "$2" "$3" "$detail" >> "$work/$1.results"
  printf '%-9s %-30s %-4s %s\n' "$1" "$2" "$3" "$detail"
}
expect() { # image check condition-as-exit-status detail
  if [ "$3" -eq 0 ]; then record "$1" "$2" ok "${4:-}"; else record "$1" "$2" FAIL "${4:-}"; fi
}

# --- the images ----------------------------------------------------------------------------------------------------
build_image() {
  local suite="$1" dir packages stamp
  dir="$cache/$suite-arm64"
  packages="$base_packages"
  stamp="mmdebstrap --architectures=arm64 --variant=apt --include=$packages $suite"
  if [ "$rebuild" = false ] && [ -f "$dir/.spike-rehearsal" ] && [ "$(cat "$dir/.spike-rehearsal")" = "$stamp" ]; then
    echo "$suite: cached root file system $dir"
    return 0
  fi
  echo "$suite: building $dir ($stamp)"
  # an interrupted mmdebstrap may leave its mounts behind: detach them before deleting anything
  findmnt -rn -o TARGET | grep -F "$dir.tmp/" | sort -r | xargs -r umount -l
  rm -rf --one-file-system "$dir" "$dir.tmp"
  mkdir -p "$cache"
  # shellcheck disable=SC2086 # the stamp is the command
  $stamp "$dir.tmp" > "$cache/$suite-build.log" 2>&1 || { tail -n 20 "$cache/$suite-build.log" >&2; return 1; }
  echo "$stamp" > "$dir.tmp/.spike-rehearsal"
  mv "$dir.tmp" "$dir"
}

enter() { # root: mount what a chroot needs
  local root="$1"
  for m in proc sys dev; do
    mount --bind "/$m" "$root/$m"
  done
  # install.sh's downloads are kept for the next rehearsal (one folder per release: their packages differ)
  mkdir -p "$cache/apt-archives-$(basename "$root")/partial"
  mount --bind "$cache/apt-archives-$(basename "$root")" "$root/var/cache/apt/archives"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
}

in_root() { # root command...: runs in the image, output to stdout+stderr
  local root="$1"
  shift
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}

# The image's gpioset and gpiodetect behind shims: gpioset logs its arguments and runs the real one; gpiodetect lists
# the chips of a given board (as the real tool prints them on it) when the rehearsal sets one, else runs the real one.
install_shims() {
  local root="$1"
  for tool in gpioset gpiodetect; do
    [ -e "$root/usr/bin/$tool.real" ] || mv "$root/usr/bin/$tool" "$root/usr/bin/$tool.real"
  done
  cat > "$root/usr/bin/gpioset" <<'EOF'
#!/bin/sh
echo "$*" >> /tmp/gpioset.log
exec /usr/bin/gpioset.real "$@"
EOF
  cat > "$root/usr/bin/gpiodetect" <<'EOF'
#!/bin/sh
if [ -f /tmp/board-chips ]; then cat /tmp/board-chips; else exec /usr/bin/gpiodetect.real "$@"; fi
EOF
  chmod 755 "$root/usr/bin/gpioset" "$root/usr/bin/gpiodetect"
}

# gpiodetect's lines on real boards: a Pi 4, and a Pi 5 on a kernel from before mid-2024 (header on gpiochip4)
board_chips() {
  case "$1" in
    pi4) printf '%s\n' 'gpiochip0 [pinctrl-bcm2711] (58 lines)' 'gpiochip1 [raspberrypi-exp-gpio] (8 lines)' ;;
    pi5-old-kernel) printf '%s\n' 'gpiochip0 [gpio-brcmstb@107d508500] (32 lines)' \
      'gpiochip1 [gpio-brcmstb@107d508520] (4 lines)' 'gpiochip2 [gpio-brcmstb@107d517c00] (17 lines)' \
      'gpiochip3 [gpio-brcmstb@107d517c20] (6 lines)' 'gpiochip4 [pinctrl-rp1] (54 lines)' ;;
  esac
}

# Runs the installed unit's ExecStopPost on a board and checks that it asked gpioset for line $3 at level $4 on chip
# $5 (empty: by line name) and failed only because this machine has no such chip, never for its syntax.
check_stop_step() { # image root board gpio level chip label
  local image="$1" root="$2" board="$3" gpio="$4" level="$5" chip="$6" label="$7" stop_post out status args
  stop_post="$(sed -n 's/^ExecStopPost=[-+!@:]*//p' "$root/etc/systemd/system/spike-agent.service")"
  rm -f "$root/tmp/gpioset.log" "$root/tmp/board-chips"
  [ "$board" = none ] || board_chips "$board" > "$root/tmp/board-chips"
  # shellcheck disable=SC2086 # the unit's command line, split as systemd splits it (no quotes in it)
  out="$(in_root "$root" $stop_post 2>&1)" && status=0 || status=$?
  args="$(grep -v -- '--version' "$root/tmp/gpioset.log" 2>/dev/null || true)"
  local want ok=1
  if [ "${expected_gpiod[$image]}" = v1 ]; then
    want="${chip:+$chip $gpio=$level}"
    # v1 with correct syntax and no chip device: "error setting the GPIO line values: No such file or directory"
    if [ -n "$chip" ]; then
      [ "$status" -ne 0 ] && [ "$args" = "$want" ] && [[ "$out" == *"error setting the GPIO line values: No such file"* ]] && ok=0
    else
      # no chip labelled pinctrl and no line named GPIO<n>: refuse without guessing a chip
      [ "$status" -ne 0 ] && [ -z "$args" ] && [[ "$out" == *"no GPIO chip labelled pinctrl and no line named GPIO$gpio"* ]] && ok=0
    fi
  else
    if [ -n "$chip" ]; then
      want="-c $chip -t0 $gpio=$level"
      [ "$status" -ne 0 ] && [ "$args" = "$want" ] && [[ "$out" == *"cannot find GPIO chip character device '$chip'"* ]] && ok=0
    else
      want="-t0 GPIO$gpio=$level"
      [ "$status" -ne 0 ] && [ "$args" = "$want" ] && [[ "$out" == *"cannot find line 'GPIO$gpio'"* ]] && ok=0
    fi
  fi
  [[ "$out" == *"invalid"* || "$out" == *"usage"* || "$out" == *"--help"* ]] && ok=1
  out="${out%; the valve was NOT driven closed by this step}"
  expect "$image" "$label" "$ok" "gpioset ${args:-(not run)} -> ${out##*: }"
}

show_valve() { # root: the stop step's reading of the installed config
  in_root "$1" /opt/spike/bin/spike-valve-close --config /etc/spike/agent.properties --show-config | tr '\n' ' '
}

# Runs the unit's ExecStart as the unit's user, with --simulate and this machine's broker, until three events arrive;
# systemd's notify socket is played by a datagram socket bound on the host inside the image, so the agent's READY=1 and
# WATCHDOG=1 (JNA's native code on that JRE) are checked too.
check_agent_runs() { # image root java label
  local image="$1" root="$2" java="$3" label="$4" exec_start agent_id t0 sub_pid events seconds notified
  exec_start="$(sed -n 's/^ExecStart=//p' "$root/etc/systemd/system/spike-agent.service")"
  exec_start="${exec_start/\/usr\/bin\/java/$java}"
  agent_id="rehearsal-$image-$RANDOM"
  install -d -o "$(in_root "$root" id -u spike)" -g "$(in_root "$root" id -g spike)" "$root/var/lib/spike"
  rm -f "$root/run/spike-notify" "$work/$agent_id.notify"
  python3 - "$root/run/spike-notify" "$work/$agent_id.notify" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666); s.settimeout(1.0)
end = time.time() + 330
with open(sys.argv[2], "a") as out:
    while time.time() < end:
        try:
            out.write(s.recv(4096).decode() + "\n"); out.flush()
        except socket.timeout:
            pass
PY
  local notify_pid=$!
  t0=$(date +%s%N)
  timeout 300 mosquitto_sub -h 127.0.0.1 -p "$port" -t "spike/$agent_id/event/#" -C 3 -W 300 > "$work/$agent_id.events" &
  sub_pid=$!
  # shellcheck disable=SC2086 # the unit's command line, split as systemd splits it
  in_root "$root" env NOTIFY_SOCKET=/run/spike-notify WATCHDOG_USEC=4000000 runuser -u spike -- $exec_start \
    --simulate --agent-id "$agent_id" --broker "tcp://127.0.0.1:$port" > "$work/$agent_id.log" 2>&1 &
  local agent_pid=$!
  wait "$sub_pid"
  seconds=$(( ($(date +%s%N) - t0) / 100000000 ))
  # the watchdog pings every 2 s: wait for the second one at most 10 s
  for _ in $(seq 1 20); do
    [ "$(grep -c '^WATCHDOG=1' "$work/$agent_id.notify" 2>/dev/null)" -ge 2 ] && break
    sleep 0.5
  done
  pkill -f "agent-id $agent_id" 2>/dev/null
  wait "$agent_pid" 2>/dev/null
  kill "$notify_pid" 2>/dev/null
  wait "$notify_pid" 2>/dev/null
  events=$(grep -c '"type"' "$work/$agent_id.events")
  notified="$(grep -c '^READY=1' "$work/$agent_id.notify") READY=1, $(grep -c '^WATCHDOG=1' "$work/$agent_id.notify") WATCHDOG=1"
  if [ "$events" -ge 3 ] && [[ "$notified" == "1 READY=1, "* ]] && [[ "$notified" != *", 0 WATCHDOG=1" ]] \
    && [[ "$notified" != *", 1 WATCHDOG=1" ]]; then
    expect "$image" "$label" 0 "$events events, the 3rd $((seconds / 10)).$((seconds % 10)) s after launch; $notified"
  else
    expect "$image" "$label" 1 "$events events, $notified; agent log: $(tail -n 3 "$work/$agent_id.log" | tr '\n' ' ')"
  fi
}

rehearse() {
  local image="$1" root t0 out status
  root="$work/$image"
  t0=$(date +%s)
  cp -a "$cache/$image-arm64" "$root" || { record "$image" "copy root file system" FAIL; return; }
  enter "$root"
  install -d "$root/home/pi/spike"
  # the folder docs/deploy-pi.md copies to the Pi: the jar, every file of pi-agent/src/main/dist/, deploy-pi.md
  cp "$jar" "$repo"/pi-agent/src/main/dist/* "$repo/docs/deploy-pi.md" "$root/home/pi/spike/"

  # 1. a first install without the relay's polarity is refused; with it, it installs
  out="$(in_root "$root" bash -c 'cd /home/pi/spike && ./install.sh --gpio 27' 2>&1)" && status=0 || status=$?
  [ "$status" -eq 2 ] && [[ "$out" == *"needs the relay's polarity"* ]] && [ ! -e "$root/etc/spike/agent.properties" ]
  expect "$image" "first install needs polarity" $? "exit $status"
  out="$(in_root "$root" bash -c 'cd /home/pi/spike && ./install.sh --active-low --gpio 27' 2>&1)" && status=0 || status=$?
  echo "$out" > "$work/$image-install.log"
  # shellcheck disable=SC2016 # ${Status} is dpkg-query's field, not the shell's
  [ "$status" -eq 0 ] && [ "$(in_root "$root" dpkg-query -W -f '${Status}\n' "${expected_jre[$image]}" gpiod i2c-tools \
    2>/dev/null | grep -c 'install ok installed')" -eq 3 ] \
    && [[ "$out" == *"systemd is not running here"* ]] && [ -L "$root/etc/systemd/system/multi-user.target.wants/spike-agent.service" ]
  expect "$image" "install.sh" $? "exit $status, ${expected_jre[$image]}, $(in_root "$root" gpioset --version | head -n 1 | sed 's/.*(libgpiod) //'), unit enabled"
  [ "$(show_valve "$root")" = "gpio=27 activeLow=true closedLevel=1 " ]
  expect "$image" "config from flags" $? "$(show_valve "$root")"

  # 2. the installed unit, as systemd reads it
  out="$(in_root "$root" systemd-analyze verify /etc/systemd/system/spike-agent.service 2>&1)" && status=0 || status=$?
  [ "$status" -eq 0 ]
  expect "$image" "systemd-analyze verify" $? "${out:-clean}"

  # 3. the stop step with the image's own gpioset: a Pi 4, a Pi 5 on an old kernel, and no chip at all
  install_shims "$root"
  check_stop_step "$image" "$root" pi4 27 1 gpiochip0 "stop step, Pi 4"
  check_stop_step "$image" "$root" pi5-old-kernel 27 1 gpiochip4 "stop step, Pi 5 old kernel"
  check_stop_step "$image" "$root" none 27 1 "" "stop step, no chip"

  # 4. re-runs: contradicting flags are refused, no flags change nothing, an edited config is what the stop step uses
  local before
  before="$(cat "$root/etc/spike/agent.properties")"
  out="$(in_root "$root" bash -c 'cd /home/pi/spike && ./install.sh --active-high' 2>&1)" && status=0 || status=$?
  [ "$status" -eq 2 ] && [[ "$out" == *"--active-high contradicts valve.activeLow=true"* ]] \
    && [ "$before" = "$(cat "$root/etc/spike/agent.properties")" ]
  expect "$image" "re-run --active-high refused" $? "exit $status: ${out#install.sh: }"
  out="$(in_root "$root" bash -c 'cd /home/pi/spike && ./install.sh --gpio 17 --active-low' 2>&1)" && status=0 || status=$?
  [ "$status" -eq 2 ] && [[ "$out" == *"--gpio 17 contradicts valve.gpio=27"* ]]
  expect "$image" "re-run --gpio 17 refused" $? "exit $status"
  check_stop_step "$image" "$root" pi4 27 1 gpiochip0 "stop step after refusals"
  out="$(in_root "$root" bash -c 'cd /home/pi/spike && ./install.sh' 2>&1)" && status=0 || status=$?
  [ "$status" -eq 0 ] && [[ "$out" == *"nothing changed"* ]] && [ "$before" = "$(cat "$root/etc/spike/agent.properties")" ]
  expect "$image" "re-run without flags" $? "exit $status, $(grep -c . <<< "$out") lines, nothing changed"
  check_stop_step "$image" "$root" pi4 27 1 gpiochip0 "stop step after re-run"
  sed -i -e 's/^valve.gpio=.*/valve.gpio=22/' -e 's/^valve.activeLow=.*/valve.activeLow=false/' \
    "$root/etc/spike/agent.properties"
  check_stop_step "$image" "$root" pi4 22 0 gpiochip0 "stop step after config edit"
  check_stop_step "$image" "$root" pi5-old-kernel 22 0 gpiochip4 "stop step after edit, Pi 5"
  out="$(in_root "$root" bash -c 'cd /home/pi/spike && ./install.sh' 2>&1)" && status=0 || status=$?
  [ "$status" -eq 0 ] && [ "$(show_valve "$root")" = "gpio=22 activeLow=false closedLevel=0 " ]
  expect "$image" "re-run keeps edited config" $? "$(show_valve "$root")"

  # 5. the agent as the unit starts it, on every JRE of the release (install.sh's, and Trixie's Java 25)
  if [ -n "${other_jres[$image]}" ]; then
    out="$(in_root "$root" apt-get install -y -q --no-install-recommends "${other_jres[$image]}" 2>&1)" && status=0 || status=$?
    expect "$image" "other JREs installed" "$status" "${other_jres[$image]}"
  fi
  local java
  for java in "$root"/usr/lib/jvm/java-*-openjdk-arm64/bin/java; do
    # Debian also links java-1.17.0-openjdk-arm64 to java-17-openjdk-arm64: one run per JRE
    [ -L "${java%/bin/java}" ] && continue
    java="${java#"$root"}"
    check_agent_runs "$image" "$root" "$java" "agent on Java $(cut -d/ -f5 <<< "$java" | cut -d- -f2)"
  done

  # 6. doctor names what a machine without a Pi lacks (no board's chips played any more)
  rm -f "$root/tmp/board-chips"
  out="$(in_root "$root" java -jar /opt/spike/spike-agent.jar doctor --config /etc/spike/agent.properties 2>&1)" \
    && status=0 || status=$?
  echo "$out" > "$cache/$image-doctor.log"
  [ "$status" -ne 0 ] && [[ "$out" == *"/dev/i2c-1"* ]] && grep -qi 'FAIL.*gpio' <<< "$out"
  expect "$image" "doctor" $? "exit $status, $(grep -c FAIL <<< "$out") FAIL lines"
  [ "$status" -eq 0 ] || printf '    %s\n' "${out//$'\n'/$'\n'    }"

  echo "$image: rehearsed in $(( $(date +%s) - t0 )) s"
  findmnt -rn -o TARGET | grep -F "$root/" | sort -r | xargs -r umount -l
  rm -rf --one-file-system "$root"
}

# The images side by side: each build and rehearsal is mostly one emulated process at a time, so two of them share
# two cores well.
IFS=',' read -r -a wanted <<< "$images"
pids=()
for image in "${wanted[@]}"; do
  (
    t0=$(date +%s)
    if build_image "$image"; then
      echo "$image: root file system ready in $(( $(date +%s) - t0 )) s"
      rehearse "$image"
    else
      record "$image" "root file system" FAIL "mmdebstrap failed, see $cache/$image-build.log"
    fi
  ) > "$work/$image.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
for image in "${wanted[@]}"; do cat "$work/$image.log"; echo; done

# --- the table -----------------------------------------------------------------------------------------------------
failed=0
passed=0
failures=0
checks=()
declare -A seen=() verdicts=()
for image in "${wanted[@]}"; do
  [ -s "$work/$image.results" ] || record "$image" "rehearsal ran" FAIL "no verdicts: see its log above"
  while IFS='|' read -r check verdict _; do
    [ -n "${seen[$check]:-}" ] || { checks+=("$check"); seen[$check]=1; }
    verdicts[$image|$check]="$verdict"
  done < "$work/$image.results"
done
printf '%-32s' "check"
for image in "${wanted[@]}"; do printf '%-10s' "$image"; done
echo
for check in "${checks[@]}"; do
  printf '%-32s' "$check"
  for image in "${wanted[@]}"; do
    # a check only one image has (its second JRE) is n/a on the other
    verdict="${verdicts[$image|$check]:-n/a}"
    case "$verdict" in
      ok) passed=$((passed + 1)) ;;
      FAIL) failed=1; failures=$((failures + 1)) ;;
    esac
    printf '%-10s' "$verdict"
  done
  echo
done
echo "rehearsal: $passed passed, $failures failed"
[ "$failed" -eq 0 ]
