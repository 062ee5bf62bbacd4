package dev.cairn.server;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The names a Host header may use for this server, and how to read one. */
final class HostNames {
    private HostNames() {
    }

    /**
     * The bound address itself, the names given with --allowed-host, and, when the server listens beyond loopback, the
     * machine's host name, its fully qualified name and the address of every interface. Lower case; IPv6 in brackets.
     */
    static Set<String> own(String boundHost, List<String> allowed) {
        Set<String> names = new HashSet<>();
        names.add(bracketed(boundHost.toLowerCase(Locale.ROOT)));
        for (String a : allowed) {
            names.add(nameOf(a));
        }
        if (!isLoopback(bracketed(boundHost.toLowerCase(Locale.ROOT)))) {
            addMachineNames(names);
        }
        return Set.copyOf(names);
    }

    /** The name part of a Host header value, lower case, without the port. */
    static String nameOf(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']') && h.indexOf(':') == colon) {
            h = h.substring(0, colon);
        } else if (h.startsWith("[") && colon > h.lastIndexOf(']')) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static boolean isLoopback(String name) {
        return name.equals("localhost") || name.endsWith(".localhost") || name.equals("[::1]")
                || (isIpLiteral(name) && name.startsWith("127."));
    }

    static boolean isIpLiteral(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            return name.length() > 2 && name.substring(1, name.length() - 1).matches("[0-9a-f:.]+");
        }
        if (!name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : name.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static void addMachineNames(Set<String> names) {
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName().toLowerCase(Locale.ROOT));
            names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            // A machine whose own name does not resolve: its addresses and --allowed-host still work.
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    String a = address.getHostAddress().toLowerCase(Locale.ROOT);
                    int zone = a.indexOf('%');
                    names.add(bracketed(zone >= 0 ? a.substring(0, zone) : a));
                }
            }
        } catch (SocketException e) {
            // No interface list: the bound address and the allowed names remain.
        }
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
