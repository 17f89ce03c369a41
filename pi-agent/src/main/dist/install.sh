#!/usr/bin/env bash
# Installs or upgrades the Spike agent on Raspberry Pi OS Bookworm or Trixie (Debian 12 or 13): a Java runtime, the
# jar, the valve's stop step, the config, a dedicated user and the systemd unit. Run as root from the folder that
# holds spike-agent.jar, install.sh, spike-agent.service, spike-valve-close and agent.properties:
#
#   sudo ./install.sh --active-low | --active-high [--gpio BCM] [--no-start]     first install
#   sudo ./install.sh [--no-start]                                              upgrade: the config is kept
#
# The relay's polarity has no default on a first install: a wrong guess would open the valve. Once
# /etc/spike/agent.properties exists it is the one source of truth for the valve (the agent and the stop step read
# it): flags that contradict it are refused, never applied. Runs inside a chroot too (an image build: the unit is
# enabled, not started). Running it again changes nothing and says so.
set -euo pipefail

readonly CONFIG=/etc/spike/agent.properties
readonly UNIT=/etc/systemd/system/spike-agent.service
readonly STOP_STEP=/opt/spike/bin/spike-valve-close

gpio=""
polarity=""
start=true

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

refuse() {
  echo "install.sh: $*" >&2
  exit 2
}

set_polarity() {
  [ -z "$polarity" ] || [ "$polarity" = "$1" ] || refuse "give either --active-low or --active-high, not both"
  polarity="$1"
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --gpio) [ "$#" -ge 2 ] || refuse "--gpio needs a BCM pin number 0..27"; gpio="$2"; shift 2 ;;
    --active-low) set_polarity low; shift ;;
    --active-high) set_polarity high; shift ;;
    --gpio-chip)
      refuse "--gpio-chip is gone: the stop step finds the header's GPIO chip by its label, as the agent does" ;;
    --no-start) start=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -n "$gpio" ]; then
  case "$gpio" in
    *[!0-9]*|???*) refuse "--gpio must be a BCM pin number 0..27, was $gpio" ;;
  esac
  [ "$((10#$gpio))" -le 27 ] || refuse "--gpio must be a BCM pin number 0..27, was $gpio"
  gpio=$((10#$gpio))
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo ./install.sh)" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
for f in spike-agent.jar spike-agent.service spike-valve-close agent.properties; do
  if [ ! -f "$here/$f" ]; then
    echo "install.sh: $here/$f is missing; build the jar with: mvn -B -pl pi-agent -am package -DskipTests," \
      "and copy it with every file of pi-agent/src/main/dist/ (docs/deploy-pi.md)" >&2
    exit 1
  fi
done

# --- the valve: one source of truth --------------------------------------------------------------------------------
# An existing config decides; flags may only repeat what it says. The stop step's own parser reads it, so the
# installer, the stop step and (through a test against Java's Properties) the agent agree on what it says.
if [ -f "$CONFIG" ]; then
  current="$(bash "$here/spike-valve-close" --config "$CONFIG" --show-config 2>&1)" \
    || refuse "cannot read the valve settings of $CONFIG: ${current#spike-valve-close: }"
  current_gpio="$(sed -n 's/^gpio=//p' <<< "$current")"
  current_active_low="$(sed -n 's/^activeLow=//p' <<< "$current")"
  if [ -n "$gpio" ] && [ "$gpio" != "$current_gpio" ]; then
    refuse "--gpio $gpio contradicts valve.gpio=$current_gpio in $CONFIG; edit valve.gpio there (the agent and the" \
      "stop step both read it) and run install.sh without --gpio"
  fi
  wanted_active_low="$current_active_low"
  [ -n "$polarity" ] && wanted_active_low="$([ "$polarity" = low ] && echo true || echo false)"
  if [ "$wanted_active_low" != "$current_active_low" ]; then
    refuse "--active-$polarity contradicts valve.activeLow=$current_active_low in $CONFIG; edit valve.activeLow" \
      "there (the agent and the stop step both read it) and run install.sh without the flag"
  fi
  valve_gpio="$current_gpio"
  valve_active_low="$current_active_low"
else
  [ -n "$polarity" ] || refuse "a first install needs the relay's polarity: --active-high (the relay switches on" \
    "when its input is high) or --active-low (on when it is low; most 5 V boards); see docs/deploy-pi.md, Relay"
  valve_gpio="${gpio:-17}"
  valve_active_low=false
  [ "$polarity" = low ] && valve_active_low=true
fi

changes=0
changed() {
  changes=$((changes + 1))
  echo "$*"
}

# Copies $1 to $2 with mode $3 (and owner $4:$5) unless $2 is already the same; says whether it did.
put() {
  local source="$1" target="$2" mode="$3" owner="${4:-root}" group="${5:-root}"
  if [ -f "$target" ] && cmp -s "$source" "$target" && [ "$(stat -c '%a %U %G' "$target")" = "$mode $owner $group" ]
  then
    return 1
  fi
  install -m "$mode" -o "$owner" -g "$group" "$source" "$target"
  changed "installed $target"
}

# --- packages --------------------------------------------------------------------------------------------------------
# A headless Java runtime >= 17 (Bookworm has 17, Trixie 21 and 25 but no 17), gpiod for the stop step, i2c-tools for
# checking the wiring.
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || echo "install.sh: apt-get update failed; going on with the package lists this system has" >&2
jre=""
for version in 17 21 25; do
  if dpkg-query -W -f '${Status}' "openjdk-$version-jre-headless" 2>/dev/null | grep -q 'install ok installed'; then
    jre="openjdk-$version-jre-headless"
    break
  fi
done
if [ -z "$jre" ]; then
  for version in 17 21 25; do
    # a package the release only mentions (Trixie's openjdk-17) has no candidate; apt-cache show would still succeed
    candidate="$(apt-cache policy "openjdk-$version-jre-headless" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
    if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
      jre="openjdk-$version-jre-headless"
      break
    fi
  done
fi
[ -n "$jre" ] || { echo "install.sh: this system offers no openjdk-17, -21 or -25 headless JRE for" \
  "$(dpkg --print-architecture); use the 64-bit Raspberry Pi OS (docs/deploy-pi.md)" >&2; exit 1; }
missing=()
for package in "$jre" gpiod i2c-tools; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  changed "installed packages: ${missing[*]}"
fi

# --- user, files -----------------------------------------------------------------------------------------------------
# A dedicated system user in the groups that own /dev/i2c-* and /dev/gpiochip*.
for group in i2c gpio; do
  getent group "$group" >/dev/null || { groupadd --system "$group"; changed "created group $group"; }
done
if ! id spike >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/spike --no-create-home --shell /usr/sbin/nologin spike
  changed "created user spike"
fi
for group in i2c gpio; do
  id -nG spike | tr ' ' '\n' | grep -qx "$group" || { usermod -a -G "$group" spike; changed "added spike to $group"; }
done

install -d -m 0755 /opt/spike /opt/spike/bin /opt/spike/docs
jar_changed=false
put "$here/spike-agent.jar" /opt/spike/spike-agent.jar 644 && jar_changed=true
put "$here/spike-valve-close" "$STOP_STEP" 755 || true
if [ -f "$here/deploy-pi.md" ]; then
  put "$here/deploy-pi.md" /opt/spike/docs/deploy-pi.md 644 || true
fi
install -d -m 0750 -o root -g spike /etc/spike
if [ ! -f "$CONFIG" ]; then
  tmp="$(mktemp)"
  sed -e "s/^valve.gpio=.*/valve.gpio=$valve_gpio/" -e "s/^valve.activeLow=.*/valve.activeLow=$valve_active_low/" \
    "$here/agent.properties" > "$tmp"
  install -m 0640 -o root -g spike "$tmp" "$CONFIG"
  rm -f "$tmp"
  changed "wrote $CONFIG (valve.gpio=$valve_gpio, valve.activeLow=$valve_active_low): edit agent.id," \
    "rules.timeZone and the MQTT settings"
fi
# The config as written must read back as intended before any unit can act on it.
readback="$("$STOP_STEP" --config "$CONFIG" --show-config)"
[ "$readback" = "$(printf 'gpio=%s\nactiveLow=%s\nclosedLevel=%s' "$valve_gpio" "$valve_active_low" \
  "$([ "$valve_active_low" = true ] && echo 1 || echo 0)")" ] \
  || refuse "$CONFIG reads back as \"$readback\", not valve.gpio=$valve_gpio valve.activeLow=$valve_active_low"
unit_changed=false
put "$here/spike-agent.service" "$UNIT" 644 && unit_changed=true

# --- systemd ---------------------------------------------------------------------------------------------------------
echo "valve: BCM $valve_gpio, $([ "$valve_active_low" = true ] && echo active-low || echo active-high);" \
  "the stop step drives it to $(sed -n 's/^closedLevel=//p' <<< "$readback") after every exit of the agent"
if [ ! -d /run/systemd/system ]; then
  # a chroot or an image build: no systemd to talk to; enabling only writes the symlink
  if ! systemctl is-enabled --quiet spike-agent.service 2>/dev/null; then
    systemctl enable spike-agent.service 2>&1 | grep -v '^Created symlink' || true
    changed "enabled spike-agent"
  fi
  echo "systemd is not running here (a chroot or an image build): spike-agent is enabled and starts at the next boot"
else
  [ "$unit_changed" = true ] && systemctl daemon-reload
  if ! systemctl is-enabled --quiet spike-agent.service; then
    systemctl enable spike-agent.service
    changed "enabled spike-agent"
  fi
  if [ "$start" = true ]; then
    if ! systemctl is-active --quiet spike-agent.service; then
      systemctl start spike-agent.service
      changed "started spike-agent: journalctl -u spike-agent -f"
    elif [ "$jar_changed" = true ] || [ "$unit_changed" = true ]; then
      systemctl restart spike-agent.service
      changed "restarted spike-agent with the new version"
    fi
  else
    echo "not started (--no-start); start it with: systemctl start spike-agent"
  fi
fi

if [ "$changes" -eq 0 ]; then
  echo "nothing changed: Spike is installed as this folder has it"
fi
echo "check the set-up with: sudo java -jar /opt/spike/spike-agent.jar doctor --config $CONFIG"
