package org.rapidsrivers.aws;

import java.time.Duration;
import org.rapidsrivers.core.BackendUnavailable;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;

/**
 * Understands how to get the AWS CRT HTTP client, which is optional: the Lambda jars leave it out
 * unless the cold-start measurement shows it is worth its size.
 */
final class CrtHttp {
    private CrtHttp() {
    }

    static SdkHttpClient client() {
        try {
            return AwsCrtHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
        } catch (NoClassDefFoundError missing) {
            throw new BackendUnavailable("the CRT HTTP client is not on the classpath; use the URL-connection client");
        }
    }
}
