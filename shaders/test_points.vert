// The held-out test points on the decision-boundary image: one GL point each, at its (x1, x2)
// in data coordinates, where the image spans [u_lo, u_hi]^2 (v_uv's (0, 0) is (lo, lo)).

layout(location = 0) in vec2 a_position;  // (x1, x2)
layout(location = 1) in vec4 a_color;     // the class colour, RGBA in [0, 1]

uniform float u_lo;
uniform float u_hi;
uniform float u_size;  // the square's side in image pixels: the disc's diameter plus a pixel of edge

out vec4 v_color;

void main()
{
    vec2 uv = (a_position - vec2(u_lo)) / (u_hi - u_lo);
    gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
    gl_PointSize = u_size;
    v_color = a_color;
}
