#!/usr/bin/env bash
# Installs the Spike agent on a Raspberry Pi (Raspberry Pi OS Bookworm): the jar, its config, a dedicated user and
# the systemd unit. Run as root from the folder that holds spike-agent.jar, spike-agent.service.in and
# agent.properties:
#
#   sudo ./install.sh [--gpio BCM] [--active-low] [--gpio-chip gpiochip0] [--no-start]
#
# Safe to run again: an existing /etc/spike/agent.properties is kept.
set -euo pipefail

gpio=17
active_low=false
chip=gpiochip0
start=true

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --gpio) gpio="${2:?--gpio needs a BCM pin number}"; shift 2 ;;
    --active-low) active_low=true; shift ;;
    --gpio-chip) chip="${2:?--gpio-chip needs a chip name such as gpiochip0}"; shift 2 ;;
    --no-start) start=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$gpio" in
  ''|*[!0-9]*) echo "install.sh: --gpio must be a BCM pin number 0..27, was $gpio" >&2; exit 2 ;;
esac
if [ "$gpio" -gt 27 ]; then
  echo "install.sh: --gpio must be a BCM pin number 0..27, was $gpio" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo ./install.sh)" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
for f in spike-agent.jar spike-agent.service.in agent.properties; do
  if [ ! -f "$here/$f" ]; then
    echo "install.sh: $here/$f is missing; build it with: mvn -pl pi-agent -am package" >&2
    exit 1
  fi
done

# What the agent needs: Java 17, gpioset for the unit's valve-closing ExecStopPost, i2c-tools for checking wiring.
apt-get install -y --no-install-recommends openjdk-17-jre-headless gpiod i2c-tools

# The closed level of the valve's line: low for an active-high relay, high for an active-low one.
closed_level=0
if [ "$active_low" = true ]; then
  closed_level=1
fi

# A dedicated system user in the groups that own /dev/i2c-* and /dev/gpiochip*.
for group in i2c gpio; do
  getent group "$group" >/dev/null || groupadd --system "$group"
done
if ! id spike >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/spike --no-create-home --shell /usr/sbin/nologin spike
fi
usermod -a -G i2c,gpio spike

install -d -m 0755 /opt/spike /opt/spike/docs
install -m 0644 "$here/spike-agent.jar" /opt/spike/spike-agent.jar
if [ -f "$here/deploy-pi.md" ]; then
  install -m 0644 "$here/deploy-pi.md" /opt/spike/docs/deploy-pi.md
fi
install -d -m 0750 -o root -g spike /etc/spike
if [ ! -f /etc/spike/agent.properties ]; then
  install -m 0640 -o root -g spike "$here/agent.properties" /etc/spike/agent.properties
  sed -i -e "s/^valve.gpio=.*/valve.gpio=$gpio/" -e "s/^valve.activeLow=.*/valve.activeLow=$active_low/" \
    /etc/spike/agent.properties
  echo "wrote /etc/spike/agent.properties: edit agent.id, rules.timeZone and the MQTT settings"
else
  echo "kept /etc/spike/agent.properties"
fi

sed -e "s/@GPIO_CHIP@/$chip/" -e "s/@GPIO_LINE@/$gpio/" -e "s/@CLOSED_LEVEL@/$closed_level/" \
  "$here/spike-agent.service.in" > /etc/systemd/system/spike-agent.service
chmod 0644 /etc/systemd/system/spike-agent.service
systemctl daemon-reload

if [ "$start" = true ]; then
  systemctl enable --now spike-agent.service
  echo "spike-agent started: journalctl -u spike-agent -f"
else
  systemctl enable spike-agent.service
  echo "spike-agent enabled; start it with: systemctl start spike-agent"
fi
