package org.rapidsrivers.aws;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Understands the one client per service a process uses, all on one HTTP client, with explicit
 * timeouts, the region and credentials of the default chains, and an endpoint override for
 * emulators. Interceptors (call counting, fault injection in tests) are added to every client.
 */
public final class AwsClients implements AutoCloseable {
    private final SdkHttpClient http;
    private final KinesisClient kinesis;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;
    private final KmsClient kms;
    private final Region region;
    private final AwsSettings settings;
    private final AwsCredentialsProvider credentials;
    private final ClientOverrideConfiguration overrides;
    private static final String CBOR = "aws.cborEnabled";

    public AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        this.region = region(settings);
        this.http = httpClient(settings);
        this.settings = settings;
        this.credentials = credentials(settings);
        this.overrides = overrides(settings, interceptors);
        if (settings.emulated() && System.getProperty(CBOR) == null) {
            // emulators such as moto answer CBOR with an internal error; every emulator speaks JSON
            // (read by the Kinesis client as it is built; --no-cbor or -Daws.cborEnabled still decide)
            System.setProperty(CBOR, "false");
        }
        this.kinesis = configure(KinesisClient.builder(), "kinesis", settings, credentials, overrides).httpClient(http).build();
        this.sns = configure(SnsClient.builder(), "sns", settings, credentials, overrides).httpClient(http).build();
        this.sqs = configure(SqsClient.builder(), "sqs", settings, credentials, overrides).httpClient(http).build();
        this.dynamoDb = configure(DynamoDbClient.builder(), "dynamodb", settings, credentials, overrides).httpClient(http).build();
        this.kms = configure(KmsClient.builder(), "kms", settings, credentials, overrides).httpClient(http).build();

    }

    public KinesisClient kinesis() {
        return kinesis;
    }

    public SnsClient sns() {
        return sns;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public KmsClient kms() {
        return kms;
    }

    public Region region() {
        return region;
    }

    @Override
    public void close() {
        kinesis.close();
        sns.close();
        sqs.close();
        dynamoDb.close();
        kms.close();
        http.close();
    }

    /**
     * A builder for another service's client (CloudFormation, S3...), set up as every client here is:
     * the region, the credentials, the endpoint, the timeouts and the one HTTP client.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C>
            B configured(B builder, String service) {
        configure(builder, service, settings, credentials, overrides).httpClient(http);
        return builder;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service, AwsSettings settings,
                                                            AwsCredentialsProvider credentials,
                                                            ClientOverrideConfiguration overrides) {
        builder.region(region).credentialsProvider(credentials).overrideConfiguration(overrides);
        settings.endpointFor(service).ifPresent(endpoint -> builder.endpointOverride(inTheClear(endpoint, service, settings)));
        return builder;
    }

    /**
     * An endpoint to send credentials to: plain HTTP only to this machine, or to a host the user said is an
     * emulator (whose credentials are test ones); anything else would put real credentials, and a session
     * token, on the network in clear text.
     */
    static URI inTheClear(URI endpoint, String service, AwsSettings settings) {
        if (!"http".equalsIgnoreCase(endpoint.getScheme()) || settings.emulated() || loopback(endpoint.getHost())) {
            return endpoint;
        }
        throw new InvalidInput("the " + service + " endpoint " + endpoint + " is plain HTTP to a host other"
                + " than this machine: your AWS credentials would cross the network in clear text; use https://, or say it"
                + " is an emulator with --emulator (RR_EMULATOR=1)");
    }

    private static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        // a literal address only: a name is not looked up here (it could resolve anywhere later)
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    private static ClientOverrideConfiguration overrides(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder builder = ClientOverrideConfiguration.builder()
                .apiCallTimeout(settings.callTimeout())
                .apiCallAttemptTimeout(settings.attemptTimeout())
                .addExecutionInterceptor(new AwsCallNames());
        interceptors.forEach(builder::addExecutionInterceptor);
        return builder.build();
    }

    private static SdkHttpClient httpClient(AwsSettings settings) {
        if (settings.httpClient() == AwsSettings.HttpClientKind.CRT) {
            return CrtHttp.client();
        }
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(25))
                .build();
    }

    /**
     * The region of the default chain, resolved once (it may ask the EC2 metadata service). An emulator
     * is asked nothing of the kind: the environment or profile, else us-east-1, just a name to sign with.
     */
    private static Region region(AwsSettings settings) {
        Region region;
        try {
            region = settings.region().map(Region::of).orElseGet(() -> settings.emulated()
                    ? new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion()
                    : DefaultAwsRegionProviderChain.builder().build().getRegion());
        } catch (SdkClientException none) {
            if (settings.emulated()) {
                return Region.US_EAST_1;
            }
            throw new BackendUnavailable("no AWS region: set AWS_REGION (or a region in ~/.aws/config) or use --region");
        }
        // emulators too: moto answers an unknown region with an internal error (500) on every call
        if (!Region.regions().contains(region)) {
            throw new BackendUnavailable("unknown AWS region '" + region.id() + "': use one such as us-east-1 or eu-west-1");
        }
        return region;
    }

    /**
     * The default credentials chain. An emulator does not check them but the SDK still signs, so with
     * an endpoint override and no credentials anywhere, the well-known test credentials are used.
     */
    private static AwsCredentialsProvider credentials(AwsSettings settings) {
        if (!settings.emulated()) {
            return DefaultCredentialsProvider.builder().build();
        }
        // An emulator is local: asking the EC2 metadata service (seconds of timeouts off EC2) is pointless.
        AwsCredentialsProviderChain local = AwsCredentialsProviderChain.of(
                EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create(),
                ProfileCredentialsProvider.create());
        try {
            local.resolveCredentials();
            return local;
        } catch (SdkClientException none) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
    }
}
