// A round, anti-aliased disc of radius u_radius image pixels in each point's square: full
// colour inside, fading over one pixel at the rim. Two passes draw every point twice, first
// the dark outlines (u_use_color = 0, the larger radius), then the class colours on top, so
// overlapping points merge as they do when ImGui draws them.

in vec4 v_color;
out vec4 frag_color;

uniform float u_size;       // the square's side in pixels (as in the vertex shader)
uniform float u_radius;     // the disc's radius in pixels
uniform int u_use_color;    // 1: the point's class colour; 0: u_outline
uniform vec4 u_outline;

void main()
{
    float distance_pixels = length(gl_PointCoord - vec2(0.5)) * u_size;
    float coverage = clamp(u_radius + 0.5 - distance_pixels, 0.0, 1.0);
    if (coverage <= 0.0)
        discard;
    vec4 color = u_use_color == 1 ? v_color : u_outline;
    frag_color = vec4(color.rgb, color.a * coverage);
}
