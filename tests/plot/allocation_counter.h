// Operator new calls made so far by this test binary. The replacement
// operators live in their own translation unit so no compiler sees new and
// free() inlined side by side (GCC 12 then warns about a mismatch that is none).
// ImGui allocates through malloc, so only C++ containers are counted.
#pragma once

long AllocationCount();
