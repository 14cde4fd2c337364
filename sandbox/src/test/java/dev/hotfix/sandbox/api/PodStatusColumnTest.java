package dev.hotfix.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStatusColumnTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'phase':'Pending'}                                                                       | Pending",
      "{'phase':'Running','containerStatuses':[{'ready':true,'state':{'running':{}}}]}           | Running",
      "{'phase':'Running','containerStatuses':[{'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}"
          + " | CrashLoopBackOff",
      "{'phase':'Pending','containerStatuses':[{'state':{'waiting':{'reason':'ErrImagePull'}}}]}  | ErrImagePull",
      "{'phase':'Succeeded','containerStatuses':[{'state':{'terminated':{'reason':'Completed'}}}]} | Completed",
      "{'phase':'Failed','containerStatuses':[{'state':{'terminated':{'exitCode':3}}}]}           | ExitCode:3",
      "{'phase':'Failed','reason':'Evicted'}                                                      | Evicted",
      "{'phase':'Running','containerStatuses':[{'ready':true,'state':{'running':{}}},"
          + "{'state':{'terminated':{'reason':'Completed'}}}],"
          + "'conditions':[{'type':'Ready','status':'True'}]} | Running"})
  void statusLikeKubectl(String status, String expected) throws Exception {
    JsonNode pod = CrudStore.JSON.readTree("{\"status\":" + status.replace('\'', '"') + "}");

    assertThat(PodStatusColumn.status(pod)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{'ready':true,'restartCount':0}]                                                          | 1/2 | 0",
      "[{'ready':true,'restartCount':4,'lastState':{'terminated':{'finishedAt':'2026-01-01T11:59:48Z'}}},"
          + "{'ready':true,'restartCount':1}]                                                    | 2/2 | 5 (12s ago)"})
  void readyAndRestarts(String containerStatuses, String ready, String restarts) throws Exception {
    JsonNode pod = CrudStore.JSON.readTree(("{'spec':{'containers':[{},{}]},'status':{'containerStatuses':"
        + containerStatuses + "}}").replace('\'', '"'));

    assertThat(PodStatusColumn.ready(pod)).isEqualTo(ready);
    assertThat(PodStatusColumn.restarts(pod, Instant.parse("2026-01-01T12:00:00Z"))).isEqualTo(restarts);
  }
}
