// Operator new calls made so far by this test binary, and the bytes they hold. The replacement
// operators live in their own translation unit so no compiler sees new and
// free() inlined side by side (GCC 12 then warns about a mismatch that is none).
// ImGui and zlib allocate through malloc, so only C++ containers are counted.
#pragma once

long AllocationCount();
// Bytes of operator new's blocks not freed yet, and the most they were at once since
// ResetPeakLiveBytes(): whole blocks, as malloc_usable_size gives them (glibc and the
// sanitizers alike).
long long LiveBytes();
long long PeakLiveBytes();
void ResetPeakLiveBytes();
