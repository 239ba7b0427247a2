package org.rapidsrivers.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Understands the CloudFormation templates in cfn/ as the template tests read them: YAML as a tree. */
public final class CfnTemplates {
    private static final Path CFN = Path.of(System.getProperty("rr.cfn", "../cfn"));

    private CfnTemplates() {
    }

    public static JsonNode read(String name) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(CFN.resolve(name).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CFN.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** Every statement of the role's inline policies (or of a managed policy's document, given its path). */
    static List<JsonNode> statements(JsonNode template, String role) {
        List<JsonNode> found = new ArrayList<>();
        template.at("/Resources/" + role + "/Properties/Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(found::add));
        return found;
    }
}
