package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands the eventIds a service gives what it publishes: the n-th event it publishes for a cause always
 * has the same id (published again after a redelivery, it is recognised downstream as the same event), and
 * nobody outside the service can work that id out beforehand: it is an HMAC-SHA256 of the cause, the
 * namespace and n under a key of the service's own, kept in its pond ({@value #KEY}) so every instance,
 * restarted or deployed, derives the same ids. (An id anyone could derive, a producer who saw a cause could
 * publish first, and the genuine event would be skipped downstream as a duplicate.)
 */
final class DerivedIds {
    static final String KEY = "rr/id-key";

    private final Supplier<Pond> pond;
    private Mac mac;

    DerivedIds(Supplier<Pond> pond) {
        this.pond = pond;
    }

    /** The id of the {@code n}-th event {@code service} publishes for {@code causeId} in {@code namespace}. */
    synchronized String of(String service, String causeId, String namespace, int n) {
        byte[] digest = mac().doFinal((service + "/" + causeId + "/" + namespace + "/" + n).getBytes(StandardCharsets.UTF_8));
        return UUID.nameUUIDFromBytes(digest).toString();
    }

    /** The key from the pond, made by whichever instance came first (the first written stays). */
    private Mac mac() {
        if (mac == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            String key = pond.get().putIfAbsent(KEY, TextNode.valueOf(Base64.getEncoder().encodeToString(fresh))).asText();
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            } catch (GeneralSecurityException | IllegalArgumentException unusable) {
                throw new IllegalStateException("the key of " + KEY + " in the service's pond cannot be used: " + unusable.getMessage()
                        + " (remove that entry: a new key is made)", unusable);
            }
        }
        return mac;
    }
}
