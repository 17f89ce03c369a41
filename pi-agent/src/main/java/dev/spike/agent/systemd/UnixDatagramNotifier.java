package dev.spike.agent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends sd_notify messages to systemd's {@code NOTIFY_SOCKET}, a unix DATAGRAM socket (a path, or an abstract name
 * when it starts with '@'), as libsystemd's sd_notify does: a new socket, one sendto, close.
 *
 * <p>Why JNA and not {@code systemd-notify}: the JDK (17 to 25) opens unix sockets only as streams, so Java alone
 * cannot send a datagram. Running {@code systemd-notify} instead would send from a child process, which systemd
 * accepts only with {@code NotifyAccess=all}, and a child that exits before systemd reads the message may not be
 * attributed to the unit at all (systemd-notify(1), the race sd_notify_barrier() was added for in systemd 246); it
 * would also fork a process every 15 s on a Pi. Sent from the JVM itself, the message comes from the main PID, so
 * {@code NotifyAccess=main} is enough and nothing races. JNA (5.18.1) bundles its native stub for linux-aarch64,
 * linux-arm and linux-x86-64, and runs on Java 17, 21 and 25.
 */
final class UnixDatagramNotifier implements ServiceNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(UnixDatagramNotifier.class);

    /** Linux values, the same on arm, arm64 and x86. */
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sockaddr_un.sun_path). */
    private static final int SUN_PATH = 108;

    /** The few libc calls needed; size_t and ssize_t are a C long on Linux, on 32-bit arm as on 64-bit. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final String socket;
    private final byte[] address;
    private LibC libc;
    private boolean failedBefore;

    UnixDatagramNotifier(String socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.address = sockaddr(socket);
    }

    /** struct sockaddr_un, as many bytes as sendto's address length says. */
    static byte[] sockaddr(String socket) {
        if (!(socket.startsWith("/") || socket.startsWith("@")) || socket.length() < 2) {
            throw new IllegalArgumentException("NOTIFY_SOCKET must be an absolute path or start with '@', was '"
                    + socket + "'");
        }
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        // a path ends with a NUL; an abstract name starts with one in place of the '@' and has none at its end
        int length = abstractName ? name.length : name.length + 1;
        if (length > SUN_PATH) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is longer than " + (SUN_PATH - 1) + " bytes: " + socket);
        }
        ByteBuffer sockaddr = ByteBuffer.allocate(2 + length).order(ByteOrder.nativeOrder());
        sockaddr.putShort((short) AF_UNIX);
        sockaddr.put(name);
        if (abstractName) {
            sockaddr.put(2, (byte) 0);
        }
        return sockaddr.array();
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void send(String state) {
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        try {
            LibC c = libc();
            int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            try {
                c.sendto(fd, message, new NativeLong(message.length), MSG_NOSIGNAL, address, address.length);
            } finally {
                c.close(fd);
            }
            if (failedBefore) {
                LOG.info("systemd notify socket {} works again", socket);
                failedBefore = false;
            }
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            // systemd restarts an agent whose pings stop, which is the right end if this keeps failing
            if (!failedBefore) {
                LOG.error("cannot send {} to systemd's notify socket {}: {}; with WatchdogSec= set, systemd will"
                        + " restart the agent", state, socket, e.getMessage());
                failedBefore = true;
            }
        }
    }

    private LibC libc() {
        if (libc == null) {
            libc = Native.load("c", LibC.class);
        }
        return libc;
    }
}
