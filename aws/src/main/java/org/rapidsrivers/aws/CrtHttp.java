package org.rapidsrivers.aws;

import org.rapidsrivers.core.BackendUnavailable;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Understands how to get the AWS CRT HTTP client, which is optional: the Lambda jars leave it out
 * unless the cold-start measurement shows it is worth its size.
 */
final class CrtHttp {
    private CrtHttp() {
    }

    static SdkHttpClient client() {
        try {
            return software.amazon.awssdk.http.crt.AwsCrtHttpClient.builder()
                    .connectionTimeout(java.time.Duration.ofSeconds(5))
                    .build();
        } catch (NoClassDefFoundError missing) {
            throw new BackendUnavailable("the CRT HTTP client is not on the classpath; use the URL-connection client");
        }
    }
}
