package dev.hotfix.cli;

public class Main {
  public static void main(String[] args) {}
}
