// The target that builds the test suite's shared precompiled header
// (tests/CMakeLists.txt, fascia_test_pch); every test executable reuses it.
// Not a test: it only gives the header a translation unit to belong to.
int main() { return 0; }
