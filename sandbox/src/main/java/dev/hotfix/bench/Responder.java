package dev.hotfix.bench;

/**
 * Who ships the bad image and is expected to take it back: our operator (a Hotfix) or the
 * kubectl script people write today. {@link #respond} returns once the responder is done
 * (rolled back, or gave up), with a word on how it ended.
 */
interface Responder {
  String subject();

  /** Ships {@code fault}'s image to the rolled-out Deployment and waits until the responder is done. */
  String respond(String deployment, FaultScenario fault) throws Exception;
}
