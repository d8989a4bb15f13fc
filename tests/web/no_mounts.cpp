// Emscripten's C library has no mount() and no unshare(), which tests/common/confine.h calls
// (in forked children, which never start here: there is no fork). Here they fail as on a
// system without them, so the settings' suite links.
#include <cerrno>

extern "C" {

int mount(const char*, const char*, const char*, unsigned long, const void*) {
  errno = ENOSYS;
  return -1;
}

int unshare(int) {
  errno = ENOSYS;
  return -1;
}

}  // extern "C"
