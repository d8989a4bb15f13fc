// A fixture for the layers test: an engine header that reaches up to the session. The test
// `layers_catches_upward_include` runs check_layers.py over this folder and expects the line.
#pragma once

#include "session/session.h"
