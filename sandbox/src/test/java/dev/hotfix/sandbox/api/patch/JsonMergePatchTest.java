package dev.hotfix.sandbox.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMergePatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** RFC 7386 Appendix A, every row: original | patch | result. */
  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"a":"b"}           | {"a":"c"}                   | {"a":"c"}
      {"a":"b"}           | {"b":"c"}                   | {"a":"b","b":"c"}
      {"a":"b"}           | {"a":null}                  | {}
      {"a":"b","b":"c"}   | {"a":null}                  | {"b":"c"}
      {"a":["b"]}         | {"a":"c"}                   | {"a":"c"}
      {"a":"c"}           | {"a":["b"]}                 | {"a":["b"]}
      {"a":{"b":"c"}}     | {"a":{"b":"d","c":null}}    | {"a":{"b":"d"}}
      {"a":[{"b":"c"}]}   | {"a":[1]}                   | {"a":[1]}
      ["a","b"]           | ["c","d"]                   | ["c","d"]
      {"a":"b"}           | ["c"]                       | ["c"]
      {"a":"foo"}         | null                        | null
      {"a":"foo"}         | "bar"                       | "bar"
      {"e":null}          | {"a":1}                     | {"e":null,"a":1}
      [1,2]               | {"a":"b","c":null}          | {"a":"b"}
      {}                  | {"a":{"bb":{"ccc":null}}}   | {"a":{"bb":{}}}
      """)
  void rfc7386AppendixA(String original, String patch, String expected) throws JsonProcessingException {
    assertThat(JsonMergePatch.apply(JSON.readTree(original), JSON.readTree(patch))).isEqualTo(JSON.readTree(expected));
  }

  @Test
  void replacesListsInsteadOfAppendingAndLeavesItsArgumentsAlone() throws JsonProcessingException {
    JsonNode original = JSON.readTree("{\"spec\":{\"args\":[\"a\",\"b\"],\"replicas\":1}}");
    JsonNode patch = JSON.readTree("{\"spec\":{\"args\":[\"c\"]}}");

    JsonNode result = JsonMergePatch.apply(original, patch);

    assertThat(result).isEqualTo(JSON.readTree("{\"spec\":{\"args\":[\"c\"],\"replicas\":1}}"));
    assertThat(original).isEqualTo(JSON.readTree("{\"spec\":{\"args\":[\"a\",\"b\"],\"replicas\":1}}"));
    assertThat(patch).isEqualTo(JSON.readTree("{\"spec\":{\"args\":[\"c\"]}}"));
  }
}
