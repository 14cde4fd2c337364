package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {
  private static final String EVENT = "{'metadata':{'name':'e1','namespace':'shop'},'type':'Warning',"
      + "'involvedObject':{'kind':'Hotfix','name':'checkout-fix','uid':'u-1'}}";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "                                                               | true",
      "involvedObject.name=checkout-fix                               | true",
      "involvedObject.name==checkout-fix,involvedObject.uid=u-1       | true",
      "involvedObject.name=checkout-fix,involvedObject.kind=Pod       | false",
      "type!=Normal                                                   | true",
      "type!=Warning                                                  | false",
      "involvedObject.fieldPath=                                      | true",
      "metadata.name=e1,metadata.namespace=shop                       | true"})
  void matchesLikeTheApiServer(String selector, boolean expected) throws Exception {
    JsonNode event = CrudStore.JSON.readTree(EVENT.replace('\'', '"'));

    assertThat(FieldSelector.parse(selector).matches(event)).isEqualTo(expected);
  }

  @Test
  void leavesTheStoreOnlyNameAndNamespace() {
    FieldSelector selector = FieldSelector.parse("metadata.name=e1,type!=Normal,metadata.namespace==shop,reason=X");

    assertThat(selector.forStore()).isEqualTo("metadata.name=e1,metadata.namespace=shop");
  }

  @Test
  void refusesARequirementWithoutOperator() {
    assertThatThrownBy(() -> FieldSelector.parse("status.phase"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
  }
}
