package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The garbage collector's lookup of dependents follows every write: owners added, changed, dropped, deleted. */
class OwnerIndexTest {
  private static final String POD = "/api/v1/namespaces/default/pods/web-1";
  private final OwnerIndex index = new OwnerIndex();

  @Test
  void anObjectIsADependentOfTheOwnersItNamesNowAndNoLonger() throws Exception {
    index.stored(POD, object("rs-1"));
    assertThat(index.dependentsOf("rs-1")).containsExactly(POD);

    index.stored(POD, object("rs-2"));
    assertThat(index.dependentsOf("rs-1")).as("orphaned and adopted by another owner").isEmpty();
    assertThat(index.dependentsOf("rs-2")).containsExactly(POD);

    index.stored(POD, object());
    assertThat(index.dependentsOf("rs-2")).isEmpty();

    index.stored(POD, object("rs-2", "rs-3"));
    index.deleted(POD);
    assertThat(index.dependentsOf("rs-2")).isEmpty();
    assertThat(index.dependentsOf("rs-3")).isEmpty();
  }

  private static JsonNode object(String... ownerUids) throws Exception {
    StringBuilder owners = new StringBuilder();
    for (String uid : ownerUids) {
      owners.append(owners.isEmpty() ? "" : ",").append("{\"uid\":\"").append(uid).append("\"}");
    }
    return CrudStore.JSON.readTree("{\"metadata\":{\"name\":\"web-1\",\"ownerReferences\":[" + owners + "]}}");
  }
}
