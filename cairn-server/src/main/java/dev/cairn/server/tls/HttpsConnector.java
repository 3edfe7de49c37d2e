package dev.cairn.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTPS connector (TLS 1.2 and 1.3 with Jetty's default cipher suites; no plain-HTTP port beside it), and
 * the watcher that reloads the certificate when its files change: certificates from an ACME client or cert-manager are
 * renewed every few weeks, and a renewal must not need a restart. A renewal that does not load (a half-written file,
 * a key that does not match) is logged and the certificate being served stays.
 */
public final class HttpsConnector {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsConnector.class);

    private HttpsConnector() {}

    /** A connector on {@code host:port} serving HTTPS with {@code settings}' certificate; the watcher stops with the server. */
    public static ServerConnector create(Server server, HttpConfiguration http, TlsSettings settings, String host, int port) {
        PemKeyStore.Loaded loaded = PemKeyStore.load(settings);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        use(tls, loaded);
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(http);
        // Requests name the server by address as often as by name (127.0.0.1, a pod IP): no SNI host check.
        https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        server.addBean(new Watcher(settings, tls));
        LOG.info("HTTPS with the certificate of {} (valid until {})", loaded.leaf().getSubjectX500Principal().getName(),
                loaded.leaf().getNotAfter().toInstant());
        return connector;
    }

    private static void use(SslContextFactory.Server tls, PemKeyStore.Loaded loaded) {
        tls.setKeyStore(loaded.keyStore());
        tls.setKeyStorePassword(new String(loaded.password()));
        tls.setKeyManagerPassword(new String(loaded.password()));
    }

    /** Checks the two files' modification times and reloads the key store when either changed. */
    static final class Watcher extends AbstractLifeCycle {
        private final TlsSettings settings;
        private final SslContextFactory.Server tls;
        private ScheduledExecutorService timer;
        private List<FileTime> seen;

        Watcher(TlsSettings settings, SslContextFactory.Server tls) {
            this.settings = settings;
            this.tls = tls;
        }

        @Override
        protected void doStart() {
            seen = stamps();
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "cairn-tls-reload");
                thread.setDaemon(true);
                return thread;
            });
            long every = settings.checkEvery().toMillis();
            timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            timer.shutdownNow();
        }

        /** Reloads when the files changed since the last look. */
        private void check() {
            List<FileTime> now = stamps();
            if (now.equals(seen)) return;
            try {
                PemKeyStore.Loaded loaded = PemKeyStore.load(settings);
                tls.reload(factory -> use((SslContextFactory.Server) factory, loaded));
                seen = now;
                LOG.info("Reloaded the TLS certificate of {} (valid until {})", loaded.leaf().getSubjectX500Principal().getName(),
                        loaded.leaf().getNotAfter().toInstant());
            } catch (Exception e) {
                // Not remembered as seen: the next look tries again, when the renewal may have finished writing.
                LOG.warn("The TLS certificate files changed but do not load ({}); still serving the previous certificate", e.getMessage());
            }
        }

        private List<FileTime> stamps() {
            try {
                return List.of(Files.getLastModifiedTime(settings.certificate()), Files.getLastModifiedTime(settings.privateKey()));
            } catch (IOException e) {
                return List.of();
            }
        }
    }
}
